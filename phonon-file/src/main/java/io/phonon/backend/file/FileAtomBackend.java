package io.phonon.backend.file;

import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Function;

import io.phonon.backend.support.AtomTable;
import io.phonon.backend.support.AtomTableBackend;
import org.jspecify.annotations.Nullable;

/**
 * Shared atoms of the processes on one host: one {@link AtomTable} in the file
 * {@code atoms}, kept as a {@link TableFile}. There are no notices: watchers poll.
 */
final class FileAtomBackend extends AtomTableBackend {

	private final TableFile<AtomTable> table;

	FileAtomBackend(Path directory) {
		this.table = new TableFile<>(directory.toAbsolutePath(), "atoms", "shared atoms", AtomTable::readFrom,
				AtomTable::writeTo, AtomTable::new);
	}

	@Override
	public String name() {
		return FileBackend.NAME;
	}

	@Override
	protected <T extends @Nullable Object> T read(Function<AtomTable, T> step) {
		return this.table.run(step, false);
	}

	@Override
	protected <T extends @Nullable Object> T update(Function<AtomTable, T> step) {
		return this.table.run(step, true);
	}

	@Override
	protected void changed(String atom) {
	}

	@Override
	public @Nullable AutoCloseable listen(Consumer<String> changed) {
		return null;
	}

	@Override
	public String toString() {
		return "FileAtomBackend[" + this.table + "]";
	}

}
