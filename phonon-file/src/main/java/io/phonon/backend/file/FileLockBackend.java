package io.phonon.backend.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Comparator;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.phonon.PhononBackendException;
import io.phonon.lock.LockBackend;
import io.phonon.backend.support.ReleaseSignals;
import org.jspecify.annotations.Nullable;

/**
 * Locks as directories (lockbydir). A lock {@code id} is the directory
 * {@code <readable>-<sha256>.lock}, holding a {@code lease} file with the owner token,
 * fencing token, expiry (this host's wall clock, in milliseconds) and the id. A new lock
 * directory is made aside and renamed into place, so it never exists half written.
 * <p>
 * Every inspect-and-change step runs under an exclusive OS lock on the {@code .guard}
 * file (which the kernel releases if the process dies), so taking over an expired lock is
 * atomic: of two processes racing for it, exactly one wins. The guard file also holds the
 * fencing counter, which outlives every lock directory and every restart.
 * <p>
 * Waiters wake on the directory's delete events (a watch service) and, as a bounded
 * fallback, poll every 100 ms and at the holder's expiry.
 */
final class FileLockBackend implements LockBackend {

	private static final String GUARD = ".guard";

	private static final String LEASE = "lease";

	private static final String TEMPORARY_PREFIX = ".tmp-";

	private static final String TRASH_PREFIX = ".trash-";

	private static final long FALLBACK_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private final Path directory;

	private final FileGuard guard;

	private final ReleaseSignals releases = new ReleaseSignals(this::watch);

	FileLockBackend(Path directory) {
		this.directory = directory.toAbsolutePath();
		this.guard = FileGuard.inPrivateDirectory(this.directory, GUARD);
		guarded("sweep leftovers in", this.directory.toString(), (channel) -> {
			sweepLeftovers();
			return null;
		});
	}

	@Override
	public Duration shortestLease() {
		return Duration.ofMillis(100); // renewal is a local file write
	}

	@Override
	public String name() {
		return FileBackend.NAME;
	}

	@Override
	public OptionalLong tryAcquire(String id, String owner, Duration lease) {
		return guarded("acquire", id, (channel) -> {
			Path lockDirectory = lockDirectory(id);
			LeaseRecord current = read(lockDirectory);
			long now = System.currentTimeMillis();
			if (current != null && !current.expired(now)) {
				if (!current.owner().equals(owner)) {
					return OptionalLong.empty();
				}
				writeLease(lockDirectory, current.renewed(expiry(now, lease)));
				return OptionalLong.of(current.token());
			}
			// An expired lease is taken over; a directory without a readable lease is not
			// a lock.
			if (current != null || Files.exists(lockDirectory)) {
				removeLockDirectory(lockDirectory);
			}
			long token = nextToken(channel);
			Path aside = this.directory.resolve(TEMPORARY_PREFIX + UUID.randomUUID());
			Files.createDirectory(aside);
			Files.writeString(aside.resolve(LEASE), new LeaseRecord(owner, token, expiry(now, lease), id).format());
			Files.move(aside, lockDirectory, StandardCopyOption.ATOMIC_MOVE);
			return OptionalLong.of(token);
		});
	}

	@Override
	public boolean renew(String id, String owner, Duration lease) {
		return guarded("renew", id, (channel) -> {
			Path lockDirectory = lockDirectory(id);
			LeaseRecord current = read(lockDirectory);
			long now = System.currentTimeMillis();
			if (current == null || current.expired(now) || !current.owner().equals(owner)) {
				return false;
			}
			writeLease(lockDirectory, current.renewed(expiry(now, lease)));
			return true;
		});
	}

	@Override
	public boolean release(String id, String owner) {
		boolean released = guarded("release", id, (channel) -> {
			Path lockDirectory = lockDirectory(id);
			LeaseRecord current = read(lockDirectory);
			if (current == null || !current.owner().equals(owner)) {
				return false;
			}
			removeLockDirectory(lockDirectory);
			return !current.expired(System.currentTimeMillis());
		});
		// Waiters in this JVM need not wait for the watch service's event.
		this.releases.signal(FileNames.lock(id));
		return released;
	}

	@Override
	public void awaitRelease(String id, Duration maxWait) throws InterruptedException {
		try (ReleaseSignals.Registration registration = this.releases.register(FileNames.lock(id))) {
			LeaseRecord current;
			try {
				// Read without the guard: lease files are replaced by atomic renames.
				current = read(lockDirectory(id));
			}
			catch (IOException ex) {
				throw new PhononBackendException(FileBackend.NAME,
						"read lock '" + abbreviate(id) + "' in " + this.directory, ex);
			}
			long now = System.currentTimeMillis();
			if (current != null && !current.expired(now)) {
				registration.await(Math.min(Math.min(maxWait.toNanos(), FALLBACK_POLL_NANOS),
						TimeUnit.MILLISECONDS.toNanos(current.expires() - now)));
			}
		}
	}

	@Override
	public void close() {
		this.releases.close();
	}

	@Override
	public String toString() {
		return "FileLockBackend[" + this.directory + "]";
	}

	private Path lockDirectory(String id) {
		return this.directory.resolve(FileNames.lock(id));
	}

	private <T extends @Nullable Object> T guarded(String operation, String id, FileGuard.Step<T> step) {
		try {
			return this.guard.run(step);
		}
		catch (IOException ex) {
			throw new PhononBackendException(FileBackend.NAME,
					operation + " lock '" + abbreviate(id) + "' in " + this.directory, ex);
		}
	}

	private static long nextToken(FileChannel guard) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(Long.BYTES);
		long last = (guard.read(buffer, 0) == Long.BYTES) ? buffer.flip().getLong() : 0;
		buffer.clear().putLong(last + 1).flip();
		guard.write(buffer, 0);
		return last + 1;
	}

	/**
	 * Rounds up, so the recorded expiry is never earlier than the caller's own reckoning.
	 */
	private static long expiry(long now, Duration lease) {
		return now + TimeUnit.NANOSECONDS.toMillis(lease.toNanos() + 999_999) + 1;
	}

	private static @Nullable LeaseRecord read(Path lockDirectory) throws IOException {
		try {
			return LeaseRecord.parse(Files.readString(lockDirectory.resolve(LEASE)));
		}
		catch (NoSuchFileException ex) {
			return null;
		}
	}

	private void writeLease(Path lockDirectory, LeaseRecord lease) throws IOException {
		Path aside = lockDirectory.resolve(TEMPORARY_PREFIX + UUID.randomUUID());
		Files.writeString(aside, lease.format());
		Files.move(aside, lockDirectory.resolve(LEASE), StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING);
	}

	/**
	 * Renames the lock away first, so its name is free at once even if deleting is cut
	 * short.
	 */
	private void removeLockDirectory(Path lockDirectory) throws IOException {
		Path trash = this.directory.resolve(TRASH_PREFIX + UUID.randomUUID());
		Files.move(lockDirectory, trash, StandardCopyOption.ATOMIC_MOVE);
		deleteTree(trash);
	}

	private void sweepLeftovers() throws IOException {
		try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(this.directory,
				(path) -> path.getFileName().toString().startsWith(TEMPORARY_PREFIX)
						|| path.getFileName().toString().startsWith(TRASH_PREFIX))) {
			for (Path leftover : leftovers) {
				deleteTree(leftover);
			}
		}
	}

	private static void deleteTree(Path root) throws IOException {
		try (Stream<Path> paths = Files.walk(root)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

	/**
	 * Watches the directory for removed lock directories: the notices of
	 * {@link #releases}.
	 */
	private AutoCloseable watch(ReleaseSignals signals) throws IOException {
		WatchService watchService = this.directory.getFileSystem().newWatchService();
		this.directory.register(watchService, StandardWatchEventKinds.ENTRY_DELETE);
		Thread watcher = new Thread(() -> dispatch(watchService, signals), "phonon-file-lock-watch");
		watcher.setDaemon(true);
		watcher.start();
		return watchService;
	}

	private static void dispatch(WatchService watchService, ReleaseSignals signals) {
		try {
			while (true) {
				WatchKey key = watchService.take();
				for (WatchEvent<?> event : key.pollEvents()) {
					if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
						signals.signalAll();
					}
					else {
						signals.signal(event.context().toString());
					}
				}
				if (!key.reset()) {
					return;
				}
			}
		}
		catch (ClosedWatchServiceException | InterruptedException ex) {
			// closed with the backend
		}
	}

	private static String abbreviate(String id) {
		return (id.length() <= 200) ? id : id.substring(0, 200) + "...";
	}

	/**
	 * The content of a {@code lease} file: three fixed lines, then the id, which may hold
	 * anything.
	 */
	private record LeaseRecord(String owner, long token, long expires, String id) {

		boolean expired(long now) {
			return now >= this.expires;
		}

		LeaseRecord renewed(long expires) {
			return new LeaseRecord(this.owner, this.token, expires, this.id);
		}

		String format() {
			return "owner=" + this.owner + "\ntoken=" + this.token + "\nexpires=" + this.expires + "\nid=" + this.id;
		}

		static @Nullable LeaseRecord parse(String text) {
			String[] lines = text.split("\n", 4);
			if (lines.length < 4 || !lines[0].startsWith("owner=") || !lines[1].startsWith("token=")
					|| !lines[2].startsWith("expires=") || !lines[3].startsWith("id=")) {
				return null; // not written by Phonon: treated as no lock
			}
			try {
				return new LeaseRecord(lines[0].substring(6), Long.parseLong(lines[1].substring(6)),
						Long.parseLong(lines[2].substring(8)), lines[3].substring(3));
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}

	}

}
