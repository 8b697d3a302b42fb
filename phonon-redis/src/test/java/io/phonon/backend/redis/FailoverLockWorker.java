package io.phonon.backend.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.phonon.PhononBackendException;
import io.phonon.lock.Lease;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import io.phonon.testsupport.FencedHistory;
import io.phonon.testsupport.TestRedisCluster;
import io.phonon.testsupport.TestRedisSentinel;
import io.phonon.testsupport.WorkerJvm;

import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * One worker JVM of {@link RedisFailoverTests}: runs fenced sections of up to 40 ms on
 * one lock through Sentinel or Redis Cluster until the test says stop, and appends each
 * to the {@link FencedHistory}. Engine failures (a master gone, replicas that do not
 * confirm) are counted and retried.
 */
public final class FailoverLockWorker {

	private FailoverLockWorker() {
	}

	public static void main(String[] args) throws Exception {
		String topology = args[0];
		String nodes = args[1];
		ReplicaAcks acks = new ReplicaAcks(Integer.parseInt(args[2]), Duration.ofMillis(500));
		Path directory = Path.of(args[3]);
		Duration lease = Duration.ofMillis(Long.parseLong(args[4]));
		RedisConnectionFactory factory = topology.equals("sentinel")
				? TestRedisSentinel.connectionFactory(nodes, Duration.ofSeconds(2))
				: TestRedisCluster.connectionFactory(List.of(nodes.split(",")), Duration.ofSeconds(2));
		LockService locks = LockService.builder(RedisBackend.locks(factory, "failover", acks)).build();
		LockOptions options = LockOptions.defaults().withLease(lease).withWait(Duration.ofSeconds(30));
		long pid = ProcessHandle.current().pid();
		Path history = directory.resolve("history");
		Path fence = directory.resolve("fence");
		long failures = 0;
		while (!Files.exists(directory.resolve("stop"))) {
			try {
				locks.withLock("failover", options, () -> {
					Lease held = Lease.current().orElseThrow();
					long start = WorkerJvm.micros();
					Thread.sleep(ThreadLocalRandom.current().nextInt(40));
					boolean valid = held.isValid();
					boolean accepted = FencedHistory.accept(fence, held.token());
					FencedHistory.append(history, new FencedHistory.Section(held.token(), pid, start,
							WorkerJvm.micros(), valid, accepted, false));
					return null;
				});
			}
			catch (PhononBackendException ex) {
				failures++;
				Thread.sleep(20);
			}
		}
		WorkerJvm.write(directory.resolve("failures-" + pid), failures + "\n", false);
		System.exit(0);
	}

}
