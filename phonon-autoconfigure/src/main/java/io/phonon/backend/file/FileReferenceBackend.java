package io.phonon.backend.file;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.function.Function;

import io.phonon.PhononBackendException;
import io.phonon.reference.ReferenceTable;
import io.phonon.reference.ReferenceTableBackend;

/**
 * References of the processes on one host: one {@link ReferenceTable} in the file
 * {@code references}, read and (for a change) rewritten by every step under an exclusive OS lock
 * on {@code .references-guard}. A change is written aside and renamed over the table, so a
 * process killed mid-write leaves the previous table whole. Time is this host's wall clock, which
 * all its processes share.
 */
final class FileReferenceBackend extends ReferenceTableBackend {

	private static final String TABLE = "references";

	private static final String NEXT_TABLE = ".references-next";

	private static final String GUARD = ".references-guard";

	private final Path directory;

	private final FileGuard guard;

	FileReferenceBackend(Path directory) {
		this.directory = directory.toAbsolutePath();
		this.guard = FileGuard.inPrivateDirectory(this.directory, GUARD);
	}

	@Override
	public String name() {
		return FileBackend.NAME;
	}

	@Override
	protected <T> T read(Function<ReferenceTable, T> step) {
		return guarded(step, false);
	}

	@Override
	protected <T> T update(Function<ReferenceTable, T> step) {
		return guarded(step, true);
	}

	@Override
	protected long now() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1_000_000_000L + now.getNano();
	}

	@Override
	public String toString() {
		return "FileReferenceBackend[" + this.directory + "]";
	}

	private <T> T guarded(Function<ReferenceTable, T> step, boolean write) {
		Path table = this.directory.resolve(TABLE);
		try {
			return this.guard.run((guardFile) -> {
				ReferenceTable current = load(table);
				T result = step.apply(current);
				if (write) {
					Path next = this.directory.resolve(NEXT_TABLE);
					try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(next))) {
						current.writeTo(new DataOutputStream(out));
					}
					Files.move(next, table, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
				}
				return result;
			});
		}
		catch (IOException | UncheckedIOException ex) {
			throw new PhononBackendException(FileBackend.NAME, (write ? "update" : "read") + " references in " + table, ex);
		}
	}

	private static ReferenceTable load(Path table) throws IOException {
		InputStream in;
		try {
			in = new BufferedInputStream(Files.newInputStream(table));
		}
		catch (NoSuchFileException ex) {
			return new ReferenceTable(FileBackend.NAME);
		}
		try (in) {
			return ReferenceTable.readFrom(FileBackend.NAME, new DataInputStream(in));
		}
		catch (IOException ex) {
			throw new IOException(table + " is not a whole Phonon reference table; if no Phonon process uses it,"
					+ " remove it to start with no references", ex);
		}
	}

}
