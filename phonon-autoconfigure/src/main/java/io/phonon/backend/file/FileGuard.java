package io.phonon.backend.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import io.phonon.PhononBackendException;

/**
 * An exclusive OS lock on one file, which the kernel releases if the process dies: steps run
 * under it one at a time across every process on the host. The file's own content is the step's
 * to use.
 */
final class FileGuard {

	/**
	 * Serializes this JVM's steps per file: an OS file lock belongs to the process, so two threads
	 * (or two engines on one file) must not ask for it at once.
	 */
	private static final ConcurrentHashMap<Path, ReentrantLock> processGuards = new ConcurrentHashMap<>();

	private final Path file;

	private final ReentrantLock processGuard;

	private FileGuard(Path file) throws IOException {
		this.file = file.toAbsolutePath().normalize();
		// Fair: a heartbeat must not starve behind busy callers, or a live session would expire.
		this.processGuard = processGuards.computeIfAbsent(this.file, (path) -> new ReentrantLock(true));
		if (!Files.exists(this.file)) {
			Files.write(this.file, new byte[0], StandardOpenOption.CREATE, StandardOpenOption.WRITE);
		}
	}

	/**
	 * Returns the guard {@code name} in {@code directory}, creating the directory owner-only if it
	 * is missing.
	 * @throws PhononBackendException if the directory cannot be created or written
	 */
	static FileGuard inPrivateDirectory(Path directory, String name) {
		try {
			createPrivateDirectories(directory);
			return new FileGuard(directory.resolve(name));
		}
		catch (IOException | RuntimeException ex) {
			throw new PhononBackendException(FileBackend.NAME,
					"use directory " + directory + " (set phonon.file.directory to a directory on a local file"
							+ " system that this process can create and write)",
					ex);
		}
	}

	<T> T run(Step<T> step) throws IOException {
		this.processGuard.lock();
		try (FileChannel channel = FileChannel.open(this.file, StandardOpenOption.READ, StandardOpenOption.WRITE);
				FileLock lock = channel.lock()) {
			return step.run(channel);
		}
		finally {
			this.processGuard.unlock();
		}
	}

	private static void createPrivateDirectories(Path directory) throws IOException {
		if (Files.isDirectory(directory)) {
			if (!Files.isWritable(directory)) {
				throw new AccessDeniedException(directory.toString(), null, "not writable");
			}
			return;
		}
		boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
		FileAttribute<?>[] ownerOnly = posix
				? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")) }
				: new FileAttribute<?>[0];
		Files.createDirectories(directory, ownerOnly);
	}

	@FunctionalInterface
	interface Step<T> {

		T run(FileChannel guardFile) throws IOException;

	}

}
