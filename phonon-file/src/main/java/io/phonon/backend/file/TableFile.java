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
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Function;
import java.util.function.Supplier;

import io.phonon.PhononBackendException;

/**
 * A plain-data table kept in one file, shared by the host's processes: every step reads
 * it (and, for a change, writes it aside and renames it over the old one) under an
 * exclusive OS lock on {@code .<name>-guard}, so steps run one at a time and a process
 * killed mid-write leaves the previous table whole.
 *
 * @param <T> the table
 */
final class TableFile<T> {

	private final Path file;

	private final Path next;

	private final String what;

	private final FileGuard guard;

	private final Reader<T> reader;

	private final Writer<T> writer;

	private final Supplier<T> empty;

	/**
	 * @param what what the table holds, for messages ("references")
	 */
	TableFile(Path directory, String name, String what, Reader<T> reader, Writer<T> writer, Supplier<T> empty) {
		this.file = directory.resolve(name);
		this.next = directory.resolve("." + name + "-next");
		this.what = what;
		this.guard = FileGuard.inPrivateDirectory(directory, "." + name + "-guard");
		this.reader = reader;
		this.writer = writer;
		this.empty = empty;
	}

	/**
	 * Runs a step on the table, keeping its changes if {@code write}.
	 * @throws PhononBackendException if the file cannot be read or written
	 */
	<R> R run(Function<T, R> step, boolean write) {
		try {
			return this.guard.run((guardFile) -> {
				T table = load();
				R result = step.apply(table);
				if (write) {
					try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(this.next,
							StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE,
							LinkOption.NOFOLLOW_LINKS))) {
						this.writer.write(table, new DataOutputStream(out));
					}
					Files.move(this.next, this.file, StandardCopyOption.ATOMIC_MOVE,
							StandardCopyOption.REPLACE_EXISTING);
				}
				return result;
			});
		}
		catch (IOException | UncheckedIOException ex) {
			throw new PhononBackendException(FileBackend.NAME,
					(write ? "update " : "read ") + this.what + " in " + this.file, ex);
		}
	}

	private T load() throws IOException {
		InputStream in;
		try {
			in = new BufferedInputStream(Files.newInputStream(this.file));
		}
		catch (NoSuchFileException ex) {
			return this.empty.get();
		}
		try (in) {
			return this.reader.read(new DataInputStream(in));
		}
		catch (IOException ex) {
			throw new IOException(this.file + " is not a whole Phonon table of " + this.what
					+ "; if no Phonon process uses it, remove it to start with none", ex);
		}
	}

	@Override
	public String toString() {
		return this.file.toString();
	}

	@FunctionalInterface
	interface Reader<T> {

		T read(DataInputStream in) throws IOException;

	}

	@FunctionalInterface
	interface Writer<T> {

		void write(T table, DataOutputStream out) throws IOException;

	}

}
