package io.phonon.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.phonon.annotation.Dogpile;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A stampede on one key: 64 threads in one JVM call a report whose value expires every
 * {@code expire} ms and takes {@code regenerate} ms to make, for {@code seconds} per
 * implementation, each caller pausing 200 µs between calls. Per implementation it counts
 * regenerations (and any that ran at once: a dogpile), the share of regenerations that
 * started before the value they replace expired, and caller latency overall and for calls
 * that started while a regeneration ran. Implementations: {@code @Dogpile} (memory
 * backend) with beta 0 and 1, Spring's {@code @Cacheable(sync = true)} on Caffeine
 * (expireAfterWrite), and Caffeine's own {@code refreshAfterWrite} loading cache.
 * <p>
 * Run:
 * {@code java -cp benchmarks/target/benchmarks.jar io.phonon.benchmarks.DogpileStampede
 * [expire ms] [regenerate ms] [seconds]}
 */
public final class DogpileStampede {

	private static final int THREADS = 64;

	private static final long PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

	private DogpileStampede() {
	}

	public static void main(String[] args) throws Exception {
		long expire = (args.length > 0) ? Long.parseLong(args[0]) : 200;
		long regenerate = (args.length > 1) ? Long.parseLong(args[1]) : 50;
		long seconds = (args.length > 2) ? Long.parseLong(args[2]) : 10;
		System.out.printf("Stampede: %d threads, value expires every %d ms, regeneration takes %d ms, %d s each%n",
				THREADS, expire, regenerate, seconds);
		System.out.printf("%-34s %7s %9s %8s %10s %10s %12s %12s%n", "implementation", "regens", "per expiry", "early",
				"p50 µs", "p99 µs", "regen p50 µs", "regen p99 µs");
		Regenerator regenerator = new Regenerator(regenerate, expire);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.NONE)
			.properties(BenchmarkServers.APPLICATION_PROPERTIES)
			.properties("bench.expire=" + expire + "ms")
			.initializers((applicationContext) -> applicationContext.getBeanFactory()
				.registerSingleton("regenerator", regenerator))
			.run();
		try {
			run("@Dogpile (memory)", context.getBean(DogpileReport.class)::report, regenerator, seconds);
			run("@Dogpile (memory), beta = 1", context.getBean(XFetchReport.class)::report, regenerator, seconds);
			run("@Cacheable(sync = true), Caffeine", context.getBean(CacheableReport.class)::report, regenerator,
					seconds);
			LoadingCache<String, String> refreshing = Caffeine.newBuilder()
				.refreshAfterWrite(Duration.ofMillis(expire))
				.build((key) -> regenerator.regenerate());
			run("Caffeine refreshAfterWrite", () -> refreshing.get("report"), regenerator, seconds);
		}
		finally {
			context.close();
		}
	}

	private static void run(String name, Supplier<String> call, Regenerator regenerator, long seconds)
			throws InterruptedException {
		call.get(); // the first value, outside the measurement
		regenerator.reset();
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		ConcurrentLinkedQueue<long[][]> samples = new ConcurrentLinkedQueue<>();
		CountDownLatch done = new CountDownLatch(THREADS);
		for (int i = 0; i < THREADS; i++) {
			Thread thread = new Thread(() -> {
				long[] starts = new long[1 << 16];
				long[] durations = new long[1 << 16];
				int count = 0;
				while (System.nanoTime() < end) {
					long start = System.nanoTime();
					call.get();
					if (count == starts.length) {
						starts = Arrays.copyOf(starts, count * 2);
						durations = Arrays.copyOf(durations, count * 2);
					}
					starts[count] = start;
					durations[count++] = System.nanoTime() - start;
					LockSupport.parkNanos(PAUSE_NANOS);
				}
				samples.add(new long[][] { Arrays.copyOf(starts, count), Arrays.copyOf(durations, count) });
				done.countDown();
			});
			thread.start();
		}
		done.await();
		List<long[]> windows = regenerator.windows();
		List<Long> all = new ArrayList<>();
		List<Long> duringRegeneration = new ArrayList<>();
		for (long[][] thread : samples) {
			for (int j = 0; j < thread[0].length; j++) {
				all.add(thread[1][j]);
				if (during(windows, thread[0][j])) {
					duringRegeneration.add(thread[1][j]);
				}
			}
		}
		int overlapping = 0;
		for (int i = 1; i < windows.size(); i++) {
			if (windows.get(i)[0] < windows.get(i - 1)[1]) {
				overlapping++;
			}
		}
		int regenerations = windows.size();
		System.out.printf("%-34s %7d %9.2f %7.0f%% %10.1f %10.1f %12.1f %12.1f%n", name, regenerations,
				(regenerations == 0) ? 0 : (double) regenerations / (regenerations - overlapping),
				100.0 * regenerator.early() / Math.max(1, regenerations), percentile(all, 0.5), percentile(all, 0.99),
				percentile(duringRegeneration, 0.5), percentile(duringRegeneration, 0.99));
	}

	private static boolean during(List<long[]> windows, long time) {
		int low = 0;
		int high = windows.size() - 1;
		while (low <= high) {
			int middle = (low + high) >>> 1;
			long[] window = windows.get(middle);
			if (time < window[0]) {
				high = middle - 1;
			}
			else if (time > window[1]) {
				low = middle + 1;
			}
			else {
				return true;
			}
		}
		return false;
	}

	private static double percentile(List<Long> nanos, double quantile) {
		if (nanos.isEmpty()) {
			return Double.NaN;
		}
		long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
		return sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))] / 1_000.0;
	}

	/**
	 * The expensive computation: sleeps, and records when it ran and whether it started
	 * before the value it replaces expired (that value was made at the previous
	 * regeneration's end).
	 */
	public static final class Regenerator {

		private final long regenerateMillis;

		private final long expireNanos;

		private final List<long[]> windows = new ArrayList<>();

		private long previousEnd;

		private int early;

		Regenerator(long regenerateMillis, long expireMillis) {
			this.regenerateMillis = regenerateMillis;
			this.expireNanos = TimeUnit.MILLISECONDS.toNanos(expireMillis);
		}

		public String regenerate() {
			long start = System.nanoTime();
			synchronized (this) {
				if (this.previousEnd != 0 && start < this.previousEnd + this.expireNanos) {
					this.early++;
				}
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(this.regenerateMillis));
			long end = System.nanoTime();
			synchronized (this) {
				this.windows.add(new long[] { start, end });
				this.previousEnd = end;
			}
			return "report made at " + end;
		}

		synchronized void reset() {
			this.windows.clear();
			this.early = 0;
		}

		synchronized List<long[]> windows() {
			List<long[]> sorted = new ArrayList<>(this.windows);
			sorted.sort((a, b) -> Long.compare(a[0], b[0]));
			return sorted;
		}

		synchronized int early() {
			return this.early;
		}

	}

	public static class DogpileReport {

		private final Regenerator regenerator;

		public DogpileReport(Regenerator regenerator) {
			this.regenerator = regenerator;
		}

		@Dogpile(name = "stampede", expireAfter = "${bench.expire}")
		public String report() {
			return this.regenerator.regenerate();
		}

	}

	public static class XFetchReport {

		private final Regenerator regenerator;

		public XFetchReport(Regenerator regenerator) {
			this.regenerator = regenerator;
		}

		@Dogpile(name = "stampede-xfetch", expireAfter = "${bench.expire}", beta = 1.0)
		public String report() {
			return this.regenerator.regenerate();
		}

	}

	public static class CacheableReport {

		private final Regenerator regenerator;

		public CacheableReport(Regenerator regenerator) {
			this.regenerator = regenerator;
		}

		@Cacheable(cacheNames = "stampede", key = "'report'", sync = true)
		public String report() {
			return this.regenerator.regenerate();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableCaching
	static class Application {

		@Bean
		CaffeineCacheManager cacheManager(org.springframework.core.env.Environment environment) {
			CaffeineCacheManager cacheManager = new CaffeineCacheManager();
			cacheManager.setCaffeine(Caffeine.newBuilder()
				.expireAfterWrite(
						Duration.ofMillis(Long.parseLong(environment.getProperty("bench.expire").replace("ms", "")))));
			return cacheManager;
		}

		@Bean
		DogpileReport dogpileReport(Regenerator regenerator) {
			return new DogpileReport(regenerator);
		}

		@Bean
		XFetchReport xfetchReport(Regenerator regenerator) {
			return new XFetchReport(regenerator);
		}

		@Bean
		CacheableReport cacheableReport(Regenerator regenerator) {
			return new CacheableReport(regenerator);
		}

	}

}
