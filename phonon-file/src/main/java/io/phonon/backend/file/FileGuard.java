package io.phonon.backend.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import io.phonon.PhononBackendException;
import org.jspecify.annotations.Nullable;

/**
 * An exclusive OS lock on one file, which the kernel releases if the process dies: steps
 * run under it one at a time across every process on the host. The file's own content is
 * the step's to use.
 */
final class FileGuard {

	/**
	 * Serializes this JVM's steps per file: an OS file lock belongs to the process, so
	 * two threads (or two engines on one file) must not ask for it at once.
	 */
	private static final ConcurrentHashMap<Path, ReentrantLock> processGuards = new ConcurrentHashMap<>();

	private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

	private final Path file;

	private final ReentrantLock processGuard;

	private FileGuard(Path file) throws IOException {
		this.file = file.toAbsolutePath().normalize();
		// Fair: a heartbeat must not starve behind busy callers, or a live session would
		// expire.
		this.processGuard = processGuards.computeIfAbsent(this.file, (path) -> new ReentrantLock(true));
		if (Files.exists(this.file, LinkOption.NOFOLLOW_LINKS)
				&& !Files.isRegularFile(this.file, LinkOption.NOFOLLOW_LINKS)) {
			throw new IOException(this.file + " is a link or not a plain file, so Phonon did not make it; remove it");
		}
	}

	/**
	 * Returns the guard {@code name} in {@code directory}, creating the directory
	 * owner-only if it is missing. The directory and its parent (the configured one) must
	 * be this user's own and writable by nobody else: another local user who could write
	 * there could plant a link that makes Phonon overwrite a file of theirs choosing, or
	 * take the locks apart.
	 * @throws PhononBackendException if the directory cannot be created or written, or is
	 * not private
	 */
	static FileGuard inPrivateDirectory(Path directory, String name) {
		try {
			// The configured directory first, so that nothing is made inside one that is
			// refused.
			Path configured = Objects.requireNonNull(directory.toAbsolutePath().getParent(),
					() -> directory + " has no parent: give a directory below the configured one");
			createPrivateDirectories(configured);
			checkPrivate(configured);
			createPrivateDirectories(directory);
			checkPrivate(directory);
			return new FileGuard(directory.resolve(name));
		}
		catch (IOException | RuntimeException ex) {
			throw new PhononBackendException(FileBackend.NAME,
					"use directory " + directory + " (set phonon.file.directory to a directory on a local file"
							+ " system that this process can create and write, and that only its user owns and writes)",
					ex);
		}
	}

	<T extends @Nullable Object> T run(Step<T> step) throws IOException {
		this.processGuard.lock();
		// Never through a link: one planted after the start-up checks is refused, not
		// followed.
		try (FileChannel channel = FileChannel.open(this.file, StandardOpenOption.CREATE, StandardOpenOption.READ,
				StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS); FileLock lock = channel.lock()) {
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
		Files.createDirectories(directory,
				POSIX ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(OWNER_ONLY) }
						: new FileAttribute<?>[0]);
	}

	/**
	 * The user this process runs as: the owner of a file it creates, which holds where
	 * {@code user.name} does not name the process's user (such as a container's arbitrary
	 * uid).
	 */
	private static UserPrincipal processUser() throws IOException {
		Path probe = Files.createTempFile("phonon-owner-", ".probe");
		try {
			return Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
		}
		finally {
			Files.delete(probe);
		}
	}

	/**
	 * Refuses a directory that is a link, is not this user's, or that others may write.
	 */
	private static void checkPrivate(Path directory) throws IOException {
		if (Files.isSymbolicLink(directory)) {
			throw new AccessDeniedException(directory.toString(), null,
					"a symbolic link; Phonon keeps its files only in a real directory");
		}
		UserPrincipal owner = Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS);
		UserPrincipal user = processUser();
		if (!owner.equals(user)) {
			throw new AccessDeniedException(directory.toString(), null,
					"owned by " + owner.getName() + ", not by " + user.getName()
							+ " who runs this process: another user could plant links in it. Use a directory"
							+ " of your own");
		}
		if (POSIX) {
			Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
			if (permissions.contains(PosixFilePermission.GROUP_WRITE)
					|| permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
				throw new AccessDeniedException(directory.toString(), null,
						"writable by others (" + PosixFilePermissions.toString(permissions)
								+ "): they could plant links in it. Make it owner-only" + " (chmod 700 " + directory
								+ ")");
			}
		}
	}

	@FunctionalInterface
	interface Step<T extends @Nullable Object> {

		T run(FileChannel guardFile) throws IOException;

	}

}
