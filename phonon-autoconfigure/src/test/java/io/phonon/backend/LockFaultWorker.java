package io.phonon.backend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.phonon.testsupport.FencedHistory;
import io.phonon.testsupport.WorkerJvm;
import io.phonon.PhononBackendException;
import io.phonon.backend.jdbc.JdbcBackend;
import io.phonon.backend.redis.RedisBackend;
import io.phonon.lock.Lease;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import io.phonon.testsupport.TestDatabases;
import io.phonon.testsupport.TestRedis;

/**
 * One worker JVM of {@link LockFaultTests}: runs fenced critical sections on one lock and
 * appends {@code token pid start end valid accepted} (epoch microseconds) for each to the
 * history. A section's write goes to a fenced store that accepts only tokens newer than
 * any it has seen. Roles, by section number: hold the lock until killed; announce the
 * section and stay in it until the test, which stops the process meanwhile, says to go
 * on; wait for the kill before the section; wait for another worker's pause before the
 * section. Engine failures are counted and retried.
 */
public final class LockFaultWorker {

	private LockFaultWorker() {
	}

	public static void main(String[] args) throws Exception {
		String engine = args[0];
		Path directory = Path.of(args[1]);
		int sections = Integer.parseInt(args[2]);
		int holdAt = Integer.parseInt(args[3]);
		int pauseAt = Integer.parseInt(args[4]);
		int waitAt = Integer.parseInt(args[5]);
		Duration lease = Duration.ofMillis(Long.parseLong(args[6]));
		int pausedBy = Integer.parseInt(args[7]);
		long pid = ProcessHandle.current().pid();
		LockService locks = LockService.builder(backend(engine)).build();
		LockOptions options = LockOptions.defaults().withLease(lease).withWait(Duration.ofMinutes(2));
		Path fence = directory.resolve("fence");
		int failures = 0;
		for (int section = 0; section < sections || section == holdAt;) {
			// The holder takes its endless section only once the pause and the restart
			// are over, so that it cannot stop the paused worker from reaching its pause
			// and a restart that loses the lock does not end its hold; the others wait
			// for the kill. A worker that gets well ahead of the one that pauses waits
			// for the pause, so that it still runs while that one is stopped.
			while ((section == waitAt && !Files.exists(directory.resolve("killed")))
					|| (section == holdAt && !Files.exists(directory.resolve("restarted")))
					|| (section == pausedBy && !Files.exists(directory.resolve("paused")))) {
				Thread.sleep(10);
			}
			int current = section;
			try {
				locks.withLock("fault", options, () -> {
					runSection(current, holdAt, pauseAt, directory, fence, pid, lease);
					return null;
				});
				section++;
			}
			catch (PhononBackendException ex) {
				failures++;
				Thread.sleep(50);
			}
		}
		WorkerJvm.write(directory.resolve("failures-" + pid), failures + "\n", false);
		System.exit(0);
	}

	private static void runSection(int section, int holdAt, int pauseAt, Path directory, Path fence, long pid,
			Duration lease) {
		Lease held = Lease.current().orElseThrow();
		long start = WorkerJvm.micros();
		if (section == holdAt) {
			WorkerJvm.write(directory.resolve("held"), held.token() + " " + pid + " " + start + "\n", false);
			sleep(Duration.ofHours(1));
		}
		if (section == pauseAt) {
			// The test stops this process for three leases meanwhile.
			WorkerJvm.write(directory.resolve("paused"), held.token() + " " + pid + "\n", false);
			while (!Files.exists(directory.resolve("continued"))) {
				sleep(Duration.ofMillis(10));
			}
		}
		sleep(Duration.ofMillis(ThreadLocalRandom.current().nextInt(3)));
		boolean valid = held.isValid();
		boolean accepted = FencedHistory.accept(fence, held.token());
		FencedHistory.append(directory.resolve("history"), new FencedHistory.Section(held.token(), pid, start,
				WorkerJvm.micros(), valid, accepted, section == pauseAt));
	}

	private static LockBackend backend(String engine) {
		if (engine.startsWith("redis:")) {
			String[] hostAndPort = engine.substring("redis:".length()).split(":");
			return RedisBackend.locks(
					TestRedis.connect(hostAndPort[0], Integer.parseInt(hostAndPort[1]), Duration.ofSeconds(1)),
					"fault");
		}
		var dataSource = TestDatabases.pool(engine);
		dataSource.setConnectionTimeout(2000);
		return JdbcBackend.locks(dataSource, "fault", "phonon_", true);
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
