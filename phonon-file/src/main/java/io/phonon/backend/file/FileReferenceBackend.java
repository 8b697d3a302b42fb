package io.phonon.backend.file;

import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Function;

import io.phonon.backend.support.ReferenceTable;
import org.jspecify.annotations.Nullable;
import io.phonon.backend.support.ReferenceTableBackend;

/**
 * References of the processes on one host: one {@link ReferenceTable} in the file
 * {@code references}, kept as a {@link TableFile}. Time is this host's wall clock, which
 * all its processes share.
 */
final class FileReferenceBackend extends ReferenceTableBackend {

	private final TableFile<ReferenceTable> table;

	FileReferenceBackend(Path directory) {
		this.table = new TableFile<>(directory.toAbsolutePath(), "references", "references",
				(in) -> ReferenceTable.readFrom(FileBackend.NAME, in), ReferenceTable::writeTo,
				() -> new ReferenceTable(FileBackend.NAME));
	}

	@Override
	public String name() {
		return FileBackend.NAME;
	}

	@Override
	protected <T extends @Nullable Object> T read(Function<ReferenceTable, T> step) {
		return this.table.run(step, false);
	}

	@Override
	protected <T extends @Nullable Object> T update(Function<ReferenceTable, T> step) {
		return this.table.run(step, true);
	}

	@Override
	protected long now() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1_000_000_000L + now.getNano();
	}

	@Override
	public String toString() {
		return "FileReferenceBackend[" + this.table + "]";
	}

}
