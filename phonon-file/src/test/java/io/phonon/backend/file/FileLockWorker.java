package io.phonon.backend.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.phonon.testsupport.WorkerJvm;
import io.phonon.lock.Lease;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;

/**
 * One worker JVM of {@link FileLockMultiProcessTests}: runs critical sections on the
 * shared file lock and appends {@code token pid start end} (epoch microseconds) for each
 * to the history. With a hold section number, it announces that section in a marker file
 * and then holds the lock (its lease renewed) until it is killed. With a pause section
 * number, it waits before that section until the marker exists, so it contends with the
 * killed holder.
 */
public final class FileLockWorker {

	private FileLockWorker() {
	}

	public static void main(String[] args) throws Exception {
		Path directory = Path.of(args[0]);
		Path history = Path.of(args[1]);
		int sections = Integer.parseInt(args[2]);
		Duration lease = Duration.ofMillis(Long.parseLong(args[3]));
		int holdAt = Integer.parseInt(args[4]);
		Path marker = Path.of(args[5]);
		int pauseAt = Integer.parseInt(args[6]);
		long pid = ProcessHandle.current().pid();
		LockBackend backend = FileBackend.locks(directory, "multi");
		LockService locks = LockService.builder(backend).build();
		LockOptions options = LockOptions.defaults().withLease(lease).withWait(Duration.ofMinutes(2));
		for (int i = 0; i <= sections; i++) {
			boolean hold = (i == holdAt);
			if (i == sections && !hold) {
				break;
			}
			while (i == pauseAt && !Files.exists(marker)) {
				Thread.sleep(10);
			}
			locks.withLock("shared", options, () -> {
				long start = WorkerJvm.micros();
				long token = Lease.current().orElseThrow().token();
				if (hold) {
					WorkerJvm.write(marker, token + " " + pid + " " + start + "\n", false);
					sleepForever();
				}
				busy();
				long end = WorkerJvm.micros();
				WorkerJvm.write(history, token + " " + pid + " " + start + " " + end + "\n", true);
				return null;
			});
		}
		System.exit(0);
	}

	private static void busy() {
		try {
			Thread.sleep(ThreadLocalRandom.current().nextInt(3));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void sleepForever() {
		while (true) {
			try {
				Thread.sleep(60_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	static String readLeaseFile(Path namespaceDirectory, String id) throws IOException {
		return Files.readString(namespaceDirectory.resolve(FileNames.lock(id)).resolve("lease"));
	}

}
