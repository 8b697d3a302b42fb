package io.phonon.benchmarks;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.springframework.integration.redis.util.RedisLockRegistry;

/**
 * Hand-off latency of a Redis lock: two clients (as two processes would be, each with its
 * own connection) pass one lock back and forth. The waiter is parked in its lock call
 * before the holder releases; a hand-off is timed from the start of the holder's release
 * to the moment the waiter holds the lock. Phonon, Redisson {@code RLock} and Spring
 * Integration's {@code RedisLockRegistry} in both its lock types, against the same
 * private Redis.
 * <p>
 * Run:
 * {@code java -cp benchmarks/target/benchmarks.jar io.phonon.benchmarks.LockHandoffLatency}
 */
public final class LockHandoffLatency {

	private static final int WARMUP = 50;

	private LockHandoffLatency() {
	}

	public static void main(String[] args) throws Exception {
		URI redis = BenchmarkServers.redis();
		int handoffs = (args.length > 0) ? Integer.parseInt(args[0]) : 500;
		System.out.printf("Hand-off latency, %d hand-offs each after %d warm-up, Redis at %s%n", handoffs, WARMUP,
				redis);
		System.out.printf("%-40s %10s %10s %10s%n", "implementation", "p50 ms", "p90 ms", "p99 ms");
		report("Phonon", handoffs, RedisLockClients.phonon(redis, "handoff", 0),
				RedisLockClients.phonon(redis, "handoff", 0));
		report("Redisson RLock", handoffs, RedisLockClients.redisson(redis, "handoff"),
				RedisLockClients.redisson(redis, "handoff"));
		report("Spring Integration RedisLockRegistry PUB_SUB", handoffs,
				RedisLockClients.integration(redis, "handoff", RedisLockRegistry.RedisLockType.PUB_SUB_LOCK),
				RedisLockClients.integration(redis, "handoff", RedisLockRegistry.RedisLockType.PUB_SUB_LOCK));
		report("Spring Integration RedisLockRegistry SPIN", Math.min(handoffs, 100),
				RedisLockClients.integration(redis, "handoff", RedisLockRegistry.RedisLockType.SPIN_LOCK),
				RedisLockClients.integration(redis, "handoff", RedisLockRegistry.RedisLockType.SPIN_LOCK));
		System.exit(0);
	}

	private static void report(String name, int handoffs, RedisLockClients.Client first, RedisLockClients.Client second)
			throws Exception {
		double[] millis = measure(handoffs, first, second);
		Arrays.sort(millis);
		System.out.printf(Locale.ROOT, "%-40s %10.3f %10.3f %10.3f%n", name, percentile(millis, 0.50),
				percentile(millis, 0.90), percentile(millis, 0.99));
	}

	private static double[] measure(int handoffs, RedisLockClients.Client first, RedisLockClients.Client second)
			throws Exception {
		ExecutorService one = Executors.newSingleThreadExecutor();
		ExecutorService two = Executors.newSingleThreadExecutor();
		try {
			one.submit(() -> {
				first.lock();
				return null;
			}).get();
			List<Double> measured = new ArrayList<>();
			for (int i = 0; i < WARMUP + handoffs; i++) {
				boolean firstHolds = (i % 2 == 0);
				ExecutorService holder = firstHolds ? one : two;
				ExecutorService waiter = firstHolds ? two : one;
				RedisLockClients.Client holding = firstHolds ? first : second;
				RedisLockClients.Client waiting = firstHolds ? second : first;
				CountDownLatch aboutToWait = new CountDownLatch(1);
				Future<Long> acquired = waiter.submit(() -> {
					aboutToWait.countDown();
					waiting.lock();
					return System.nanoTime();
				});
				aboutToWait.await();
				Thread.sleep(5); // the waiter asks once, finds the lock held and parks
				long released = holder.submit(() -> {
					long start = System.nanoTime();
					holding.unlock();
					return start;
				}).get();
				long latency = acquired.get(1, TimeUnit.MINUTES) - released;
				if (i >= WARMUP) {
					measured.add(latency / 1_000_000.0);
				}
			}
			return measured.stream().mapToDouble(Double::doubleValue).toArray();
		}
		finally {
			one.shutdownNow();
			two.shutdownNow();
		}
	}

	private static double percentile(double[] sorted, double p) {
		return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
	}

}
