package io.phonon.benchmarks;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.phonon.JacksonJsonCodec;
import io.phonon.backend.jdbc.JdbcBackend;
import io.phonon.backend.redis.RedisBackend;
import io.phonon.dogpile.DogpileCache;
import io.phonon.dogpile.DogpileOptions;
import io.phonon.dogpile.DogpileStore;
import io.phonon.dogpile.Dogpiles;
import io.phonon.lock.Lease;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A soak of distinct keys: {@code locks} distinct lock ids (each taken and released once)
 * and {@code values} distinct dogpile keys (each computed once, fresh and stale for 100
 * ms) pass through Redis and through PostgreSQL, on 8 threads. Every tenth of the way,
 * and once more after the longest retention (the dogpile locks' 30 s lease and the minute
 * a lock's state outlives it) and a few thousand writes, it prints what the state costs:
 * the JVM's heap after a GC, Redis's {@code used_memory} and key count, and the rows of
 * the lock and dogpile tables. Flat columns mean the footprint is bounded by what lives,
 * not by the keys ever seen.
 * <p>
 * Run:
 * {@code java -cp benchmarks/target/benchmarks.jar io.phonon.benchmarks.FootprintSoak
 * [locks] [values] [redis|postgres|both]} (defaults 10,000,000, 1,000,000, both)
 */
public final class FootprintSoak {

	private static final int THREADS = 8;

	private static final Duration WINDOW = Duration.ofMillis(100);

	private FootprintSoak() {
	}

	public static void main(String[] args) throws Exception {
		long locks = (args.length > 0) ? Long.parseLong(args[0]) : 10_000_000;
		long values = (args.length > 1) ? Long.parseLong(args[1]) : 1_000_000;
		String engines = (args.length > 2) ? args[2] : "both";
		if (!engines.equals("postgres")) {
			URI redis = BenchmarkServers.redis();
			LettuceConnectionFactory factory = BenchmarkServers.connectionFactory(redis);
			String namespace = "soak-" + System.nanoTime();
			soak("redis", RedisBackend.locks(factory, namespace), RedisBackend.dogpiles(factory, namespace), locks,
					values, () -> {
						try (RedisConnection connection = factory.getConnection()) {
							Properties memory = connection.serverCommands().info("memory");
							return String.format("used_memory %,d B, %,d keys",
									Long.parseLong(memory.getProperty("used_memory")),
									connection.serverCommands().dbSize());
						}
					});
			factory.destroy();
		}
		if (!engines.equals("redis")) {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl(BenchmarkServers.postgres());
			dataSource.setMaximumPoolSize(THREADS + 2);
			String prefix = "soak" + (System.nanoTime() % 1_000_000) + "_";
			soak("postgres", JdbcBackend.locks(dataSource, "soak", prefix, true),
					JdbcBackend.dogpiles(dataSource, "soak", prefix, true), locks, values,
					() -> String.format("%,d lock rows, %,d dogpile rows", rows(dataSource, prefix + "locks"),
							rows(dataSource, prefix + "dogpile")));
			dataSource.close();
		}
	}

	private static void soak(String engine, LockBackend lockBackend, DogpileStore<?> store, long locks, long values,
			Footprint footprint) throws Exception {
		LockService lockService = LockService.builder(lockBackend).build();
		Dogpiles dogpiles = Dogpiles.builder(store, lockService)
			.codec(new JacksonJsonCodec(JsonMapper.builder().build()))
			.build();
		DogpileCache<String> cache = dogpiles.cache("soak", new ParameterizedTypeReference<String>() {
		}, DogpileOptions.expireAfter(WINDOW).withMaxStale(WINDOW));
		LockOptions options = LockOptions.defaults().withName("soak").withLease(Duration.ofSeconds(1));
		System.out.printf("%n%s: %,d lock ids, then %,d dogpile keys, %d threads%n", engine, locks, values, THREADS);
		run(engine, "locks", locks, footprint, (i) -> {
			try (Lease lease = lockService.acquire("order:" + i, options)) {
				lease.token();
			}
		});
		run(engine, "dogpile", values, footprint, (i) -> cache.get("key:" + i, () -> "value"));
		System.out.printf("%-9s waiting out the retention (95 s), then 3,000 more of each%n", engine);
		Thread.sleep(95_000);
		for (long i = 0; i < 3_000; i++) {
			try (Lease lease = lockService.acquire("after:" + i, options)) {
				lease.token();
			}
			cache.get("after:" + i, () -> "value");
		}
		print(engine, "after", footprint);
		((AutoCloseable) dogpiles).close();
		((AutoCloseable) lockService).close();
		lockBackend.close();
	}

	private static void run(String engine, String what, long count, Footprint footprint, Step step) throws Exception {
		AtomicLong next = new AtomicLong();
		long tenth = Math.max(1, count / 10);
		long start = System.nanoTime();
		ExecutorService threads = Executors.newFixedThreadPool(THREADS);
		for (int t = 0; t < THREADS; t++) {
			threads.execute(() -> {
				long i;
				while ((i = next.getAndIncrement()) < count) {
					try {
						step.run(i);
					}
					catch (Exception ex) {
						throw new IllegalStateException(what + " " + i + " failed", ex);
					}
					if ((i + 1) % tenth == 0) {
						print(engine, String.format("%s %,d (%.0f/s)", what, i + 1,
								(i + 1) / ((System.nanoTime() - start) / 1e9)), footprint);
					}
				}
			});
		}
		threads.shutdown();
		threads.awaitTermination(1, TimeUnit.DAYS);
	}

	private static void print(String engine, String when, Footprint footprint) {
		System.gc();
		long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		try {
			System.out.printf("%-9s %-32s heap %,6d KiB, %s%n", engine, when, heap / 1024, footprint.describe());
		}
		catch (Exception ex) {
			System.out.printf("%-9s %-32s heap %,6d KiB, engine not read: %s%n", engine, when, heap / 1024, ex);
		}
	}

	private static long rows(DataSource dataSource, String table) throws Exception {
		try (Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
			count.next();
			return count.getLong(1);
		}
	}

	@FunctionalInterface
	private interface Step {

		void run(long i) throws Exception;

	}

	@FunctionalInterface
	private interface Footprint {

		String describe() throws Exception;

	}

}
