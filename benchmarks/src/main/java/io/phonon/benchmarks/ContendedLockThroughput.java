package io.phonon.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;

import io.phonon.lock.LockService;

import org.springframework.integration.redis.util.RedisLockRegistry;

/**
 * Contended throughput of a Redis lock: two JVMs of four threads each take one lock id in
 * a loop (an empty section) for the same stretch of time. Reported per implementation:
 * sections per second, each thread's count (min and max), and the larger JVM's share over
 * the smaller's. Phonon ({@code phonon:<local hand-offs>}: its default, 64, then 16 and
 * none), Spring Integration's {@code RedisLockRegistry} in both its lock types and
 * Redisson {@code RLock}, one after the other against the same private Redis.
 * <p>
 * Run:
 * {@code java -cp benchmarks/target/benchmarks.jar io.phonon.benchmarks.ContendedLockThroughput [seconds]}
 */
public final class ContendedLockThroughput {

	private static final int JVMS = 2;

	private static final int THREADS = 4;

	/** How a worker's line of counts starts. */
	private static final String RESULT = "sections per thread: ";

	/** Phonon with its default local hand-offs (64), 16, and none. */
	private static final String[] IMPLEMENTATIONS = { "phonon:" + LockService.Builder.DEFAULT_LOCAL_HAND_OFFS,
			"phonon:16", "phonon:0", "si-pub-sub", "si-spin", "redisson" };

	private ContendedLockThroughput() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("worker")) {
			worker(args);
			return;
		}
		URI redis = BenchmarkServers.redis();
		int seconds = (args.length > 0) ? Integer.parseInt(args[0]) : 20;
		System.out.printf("Contended lock, %d JVMs x %d threads on one id for %d s each, Redis at %s%n", JVMS, THREADS,
				seconds, redis);
		System.out.printf("%-22s %12s %12s %12s %16s%n", "implementation", "sections/s", "thread min", "thread max",
				"JVM max/min");
		for (String implementation : IMPLEMENTATIONS) {
			run(implementation, redis, seconds);
		}
		System.exit(0);
	}

	private static void run(String implementation, URI redis, int seconds) throws Exception {
		long startAt = System.currentTimeMillis() + 5_000; // once every JVM is connected
		List<Process> workers = new ArrayList<>();
		for (int i = 0; i < JVMS; i++) {
			String java = ProcessHandle.current().info().command().orElse("java");
			workers.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
					ContendedLockThroughput.class.getName(), "worker", implementation, redis.toString(),
					Long.toString(startAt), Integer.toString(seconds))
				.redirectError(ProcessBuilder.Redirect.INHERIT)
				.start());
		}
		List<long[]> counts = new ArrayList<>();
		for (Process worker : workers) {
			try (BufferedReader output = new BufferedReader(
					new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
				// The peers log to standard output too.
				String line = output.lines()
					.filter((candidate) -> candidate.startsWith(RESULT))
					.findFirst()
					.orElse(null);
				if (line == null || worker.waitFor() != 0) {
					throw new IllegalStateException(implementation + ": a worker JVM failed");
				}
				counts.add(Arrays.stream(line.substring(RESULT.length()).trim().split(" "))
					.mapToLong(Long::parseLong)
					.toArray());
			}
		}
		long total = counts.stream().flatMapToLong(Arrays::stream).sum();
		long[] threads = counts.stream().flatMapToLong(Arrays::stream).sorted().toArray();
		long[] perJvm = counts.stream().mapToLong((jvm) -> Arrays.stream(jvm).sum()).sorted().toArray();
		System.out.printf(Locale.ROOT, "%-22s %12.0f %12d %12d %16.2f%n", implementation, total / (double) seconds,
				threads[0], threads[threads.length - 1], perJvm[perJvm.length - 1] / (double) Math.max(1, perJvm[0]));
	}

	/** One JVM: its threads take the lock from the agreed moment until the end. */
	private static void worker(String[] args) throws Exception {
		URI redis = URI.create(args[2]);
		long startAt = Long.parseLong(args[3]);
		long endAt = startAt + 1000L * Integer.parseInt(args[4]);
		String id = "contended";
		RedisLockClients.Client client = switch (args[1].replaceFirst(":.*", "")) {
			case "phonon" -> RedisLockClients.phonon(redis, id, Integer.parseInt(args[1].substring(7)));
			case "si-pub-sub" -> RedisLockClients.integration(redis, id, RedisLockRegistry.RedisLockType.PUB_SUB_LOCK);
			case "si-spin" -> RedisLockClients.integration(redis, id, RedisLockRegistry.RedisLockType.SPIN_LOCK);
			case "redisson" -> RedisLockClients.redisson(redis, id);
			default -> throw new IllegalArgumentException("Unknown implementation " + args[1]);
		};
		AtomicLongArray sections = new AtomicLongArray(THREADS);
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < THREADS; i++) {
			int thread = i;
			Thread worker = new Thread(() -> {
				try {
					Thread.sleep(Math.max(0, startAt - System.currentTimeMillis()));
					while (System.currentTimeMillis() < endAt) {
						client.lock();
						try {
							sections.incrementAndGet(thread);
						}
						finally {
							client.unlock();
						}
					}
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			worker.start();
			threads.add(worker);
		}
		for (Thread thread : threads) {
			thread.join();
		}
		StringBuilder line = new StringBuilder(RESULT);
		for (int i = 0; i < THREADS; i++) {
			line.append(sections.get(i)).append(' ');
		}
		System.out.println(line.toString().trim());
		System.out.flush();
		System.exit(0);
	}

}
