package io.phonon.benchmarks;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.phonon.backend.jdbc.JdbcBackend;
import io.phonon.backend.redis.RedisBackend;
import io.phonon.lock.Lease;
import io.phonon.backend.support.ForwardingLockBackend;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Holds many leases at once for a while and counts what that costs and whether any is
 * lost: {@code N} threads each hold one lock of 3 s (renewed by Phonon once a third has
 * run), on Redis or PostgreSQL, and, on Redis, the same with Redisson's watchdog (its
 * lock watchdog timeout set to 3 s). Reports, over the holding window only: leases lost
 * while held, engine round trips per held lease per second (Phonon: counted at the engine
 * interface; Redis: also the server's {@code total_commands_processed}).
 * <p>
 * Arguments: {@code redis|postgres|redisson}, the counts (such as {@code 1000,10000}),
 * the seconds to hold (60), and how many acquisitions run at once while the leases are
 * taken ({@value #RAMP}; the count itself takes them all at once).
 */
public final class LeaseHoldSoak {

	private static final Duration LEASE = Duration.ofSeconds(3);

	/** How many acquisitions run at once while the leases are taken. */
	private static final int RAMP = 64;

	private LeaseHoldSoak() {
	}

	public static void main(String[] args) throws Exception {
		String engine = args[0];
		int seconds = (args.length > 2) ? Integer.parseInt(args[2]) : 60;
		int ramp = (args.length > 3) ? Integer.parseInt(args[3]) : RAMP;
		URI redis = engine.equals("postgres") ? null : BenchmarkServers.redis();
		for (String count : args[1].split(",")) {
			int leases = Integer.parseInt(count);
			if (engine.equals("redisson")) {
				redisson(redis, leases, seconds, ramp);
			}
			else {
				phonon(engine, redis, leases, seconds, ramp);
			}
		}
		System.exit(0);
	}

	private static void phonon(String engine, URI redis, int leases, int seconds, int ramp) throws Exception {
		AtomicLong roundTrips = new AtomicLong();
		LettuceConnectionFactory factory = (redis != null) ? BenchmarkServers.connectionFactory(redis) : null;
		String namespace = "soak" + System.nanoTime();
		LockBackend backend;
		if (factory != null) {
			backend = RedisBackend.locks(factory, namespace);
		}
		else {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl(System.getenv()
				.getOrDefault("PHONON_BENCH_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"));
			dataSource.setMaximumPoolSize(16);
			backend = JdbcBackend.locks(dataSource, namespace, "phonon_", true);
		}
		LockBackend counted = new CountingBackend(backend, roundTrips);
		LockService locks = LockService.builder(counted).build();
		// Each id is free; the wait only lets an acquisition answered after its lease ran
		// out
		// (given back, as it holds nothing) be asked for again.
		LockOptions options = LockOptions.defaults().withLease(LEASE).withWait(Duration.ofMinutes(10));
		AtomicInteger lost = new AtomicInteger();
		Queue<Lease> holding = new ConcurrentLinkedQueue<>();
		Hold hold = hold(leases, seconds, ramp, (i, held, release) -> locks.withLock("hold-" + i, options, () -> {
			Lease lease = Lease.current().orElseThrow();
			holding.add(lease);
			held.run();
			release.await();
			if (!lease.isValid()) {
				lost.incrementAndGet();
			}
			return null;
		}), () -> roundTrips.get(), (factory != null) ? () -> commands(factory) : null,
				() -> holding.stream().filter((lease) -> !lease.isValid()).count());
		report("Phonon on " + engine, leases, seconds, lost.get(), hold);
		backend.close();
		if (factory != null) {
			factory.destroy();
		}
	}

	private static DataSource pool(int size) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(System.getenv()
			.getOrDefault("PHONON_BENCH_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"));
		dataSource.setMaximumPoolSize(size);
		return dataSource;
	}

	private static void redisson(URI redis, int leases, int seconds, int ramp) throws Exception {
		Config config = new Config();
		config.useSingleServer()
			.setAddress("redis://" + redis.getHost() + ":" + redis.getPort())
			.setConnectionPoolSize(64);
		config.setLockWatchdogTimeout(LEASE.toMillis());
		RedissonClient client = Redisson.create(config);
		LettuceConnectionFactory factory = BenchmarkServers.connectionFactory(redis);
		String prefix = "soak" + System.nanoTime() + ":";
		AtomicInteger lost = new AtomicInteger();
		Hold hold = hold(leases, seconds, ramp, (i, held, release) -> {
			RLock lock = client.getLock(prefix + i);
			lock.lock();
			held.run();
			release.await();
			// Redisson cannot say whether its lease lapsed meanwhile; ask Redis.
			try {
				if (lock.isHeldByCurrentThread()) {
					lock.unlock();
					return null;
				}
			}
			catch (IllegalMonitorStateException ex) {
				// It lapsed between the question and the unlock.
			}
			lost.incrementAndGet();
			return null;
		}, null, () -> commands(factory), null);
		report("Redisson watchdog", leases, seconds, lost.get(), hold);
		client.shutdown();
		factory.destroy();
	}

	/**
	 * Starts {@code leases} holders, waits until all hold, measures the holding window,
	 * then lets them go.
	 */
	private static Hold hold(int leases, int seconds, int rampSize, Holder holder, Counter phononTrips,
			Counter redisCommands, Counter invalid) throws Exception {
		CountDownLatch held = new CountDownLatch(leases);
		CountDownLatch release = new CountDownLatch(1);
		// Taken a few at a time, as a service takes them over time: the window measures
		// holding, not a stampede of acquisitions (unless asked for).
		Semaphore ramp = new Semaphore(rampSize);
		ExecutorService threads = threads();
		List<Future<?>> running = new ArrayList<>();
		for (int i = 0; i < leases; i++) {
			int index = i;
			running.add(threads.submit(() -> {
				ramp.acquire();
				return holder.hold(index, () -> {
					held.countDown();
					ramp.release();
				}, release);
			}));
		}
		held.await();
		long lostWhileAcquiring = (invalid != null) ? invalid.count() : -1;
		long trips = (phononTrips != null) ? phononTrips.count() : 0;
		long commands = (redisCommands != null) ? redisCommands.count() : 0;
		long start = System.nanoTime();
		Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
		double elapsed = (System.nanoTime() - start) / 1e9;
		long tripsAfter = (phononTrips != null) ? phononTrips.count() : 0;
		long commandsAfter = (redisCommands != null) ? redisCommands.count() : 0;
		release.countDown();
		for (Future<?> future : running) {
			future.get();
		}
		threads.shutdown();
		return new Hold(lostWhileAcquiring,
				(phononTrips != null) ? (tripsAfter - trips) / elapsed / leases : Double.NaN,
				(redisCommands != null) ? (commandsAfter - commands) / elapsed / leases : Double.NaN);
	}

	/** Virtual threads where the JDK has them (21+), else platform threads. */
	private static ExecutorService threads() throws Exception {
		try {
			return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
		}
		catch (NoSuchMethodException ex) {
			return Executors.newCachedThreadPool();
		}
	}

	/**
	 * Returns how many scripts Redis has run ({@code EVAL} and {@code EVALSHA} calls):
	 * what both clients send to renew, each script one request.
	 */
	private static long commands(LettuceConnectionFactory factory) {
		try (var connection = factory.getConnection()) {
			Properties stats = connection.serverCommands().info("commandstats");
			return calls(stats.getProperty("cmdstat_eval")) + calls(stats.getProperty("cmdstat_evalsha"));
		}
	}

	private static long calls(String stat) {
		return (stat != null) ? Long.parseLong(stat.replaceAll("^calls=(\\d+),.*$", "$1")) : 0;
	}

	private static void report(String what, int leases, int seconds, int lost, Hold hold) {
		System.out.printf("%s, %,d leases of %d s held for %d s: %d lost (%d of them before the last was taken);"
				+ " %.4f round trips per lease per second (Phonon's count); %.4f scripts run by Redis per lease per"
				+ " second%n", what, leases, LEASE.toSeconds(), seconds, lost, hold.lostWhileAcquiring(),
				hold.roundTripsPerLeaseSecond(), hold.commandsPerLeaseSecond());
	}

	record Hold(long lostWhileAcquiring, double roundTripsPerLeaseSecond, double commandsPerLeaseSecond) {
	}

	@FunctionalInterface
	interface Holder {

		Object hold(int index, Runnable held, CountDownLatch release) throws Exception;

	}

	@FunctionalInterface
	interface Counter {

		long count();

	}

	/** Counts the engine steps Phonon takes to keep its leases: renewals and batches. */
	private static final class CountingBackend extends ForwardingLockBackend {

		private final AtomicLong roundTrips;

		CountingBackend(LockBackend delegate, AtomicLong roundTrips) {
			super(delegate);
			this.roundTrips = roundTrips;
		}

		@Override
		public boolean renew(String id, String owner, Duration lease) {
			this.roundTrips.incrementAndGet();
			return super.renew(id, owner, lease);
		}

		@Override
		public boolean[] renewAll(List<Renewal> renewals) {
			// One round trip a batch; without batches, each renewal is counted by renew.
			if (delegate().renewalBatchSize() > 1) {
				this.roundTrips.incrementAndGet();
			}
			return super.renewAll(renewals);
		}

	}

}
