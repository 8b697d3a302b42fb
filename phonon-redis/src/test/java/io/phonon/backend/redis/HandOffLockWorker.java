package io.phonon.backend.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.phonon.lock.Lease;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import io.phonon.testsupport.FencedHistory;
import io.phonon.testsupport.TestRedis;
import io.phonon.testsupport.WorkerJvm;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * One worker JVM of {@link RedisHandOffTests}: several threads take one lock in a loop,
 * as a contended service does, until the test says stop, and append each fenced section
 * to the {@link FencedHistory}. Arguments: host, port, namespace, directory, threads, the
 * lock service's local hand-offs.
 */
public final class HandOffLockWorker {

	private HandOffLockWorker() {
	}

	public static void main(String[] args) throws Exception {
		LettuceConnectionFactory redis = TestRedis.connect(args[0], Integer.parseInt(args[1]), Duration.ofSeconds(10));
		Path directory = Path.of(args[3]);
		int threads = Integer.parseInt(args[4]);
		LockService locks = LockService.builder(RedisBackend.locks(redis, args[2]))
			.localHandOffs(Integer.parseInt(args[5]))
			.build();
		LockOptions options = LockOptions.defaults().withLease(Duration.ofSeconds(5)).withWait(Duration.ofMinutes(2));
		long pid = ProcessHandle.current().pid();
		Path history = directory.resolve("history");
		Path fence = directory.resolve("fence");
		Path stop = directory.resolve("stop");
		List<Thread> running = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			Thread thread = new Thread(() -> {
				while (!Files.exists(stop)) {
					locks.withLock("cohort", options, () -> {
						Lease held = Lease.current().orElseThrow();
						long start = WorkerJvm.micros();
						boolean valid = held.isValid();
						boolean accepted = FencedHistory.accept(fence, held.token());
						FencedHistory.append(history, new FencedHistory.Section(held.token(), pid, start,
								WorkerJvm.micros(), valid, accepted, false));
						return null;
					});
				}
			});
			thread.start();
			running.add(thread);
		}
		for (Thread thread : running) {
			thread.join();
		}
		System.exit(0);
	}

}
