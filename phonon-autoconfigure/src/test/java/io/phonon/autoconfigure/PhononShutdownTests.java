package io.phonon.autoconfigure;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import io.phonon.PhononStoppedException;
import io.phonon.annotation.Locked;
import io.phonon.backend.file.FileBackend;
import io.phonon.backend.jdbc.JdbcBackend;
import io.phonon.backend.redis.RedisBackend;
import io.phonon.lock.Lease;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import io.phonon.reference.LastReleaseHandler;
import io.phonon.reference.ReferenceBackend;
import io.phonon.reference.References;
import io.phonon.testsupport.TestDatabases;
import io.phonon.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Shutdown and pool exhaustion as a service lives them, through the auto-configured
 * context on real engines: a context closed while a {@code @Locked} job runs on an
 * executor that waits for its tasks, references released by a clean close, and a JDBC
 * pool held whole by locked sections. Judged by histories: who entered after whom, and
 * what the closing context logged.
 */
@ExtendWith(OutputCaptureExtension.class)
class PhononShutdownTests {

	private static final LockOptions PROBE = LockOptions.defaults().withLease(Duration.ofSeconds(1));

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, DataSourceAutoConfiguration.class,
				PhononAutoConfiguration.class, PhononReferencesAutoConfiguration.class,
				PhononLifecycleAutoConfiguration.class))
		.withBean(ConcurrentLinkedQueue.class, () -> this.history)
		.withBean(Job.class)
		.withBean(JobRunner.class);

	private final ConcurrentLinkedQueue<String> history = new ConcurrentLinkedQueue<>();

	private final ExecutorService threads = Executors.newCachedThreadPool();

	@AfterEach
	void stopThreads() {
		this.threads.shutdownNow();
	}

	@Test
	void closingARedisContextWhileALockedJobRunsLetsNoOtherInstanceInBeforeTheJobEnds(CapturedOutput output)
			throws Exception {
		String namespace = "shutdown-" + UUID.randomUUID();
		closeWhileTheJobRuns(RedisBackend.locks(TestRedis.connectionFactory(), namespace), output, onRedis(namespace));
	}

	@Test
	void closingAJdbcContextWhileALockedJobRunsLetsNoOtherInstanceInBeforeTheJobEnds(CapturedOutput output)
			throws Exception {
		String namespace = "shutdown-" + UUID.randomUUID();
		closeWhileTheJobRuns(JdbcBackend.locks(TestDatabases.postgres(), namespace, "phonon_", true), output,
				onPostgres(namespace));
	}

	private void closeWhileTheJobRuns(LockBackend otherEngine, CapturedOutput output, String... properties)
			throws Exception {
		LockService otherInstance = LockService.builder(otherEngine).build();
		try {
			this.runner.withPropertyValues(properties).run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(JobRunner.class).start(context.getBean(Job.class), 3_000);
				context.getBean(JobRunner.class).entered.await(30, TimeUnit.SECONDS);
				Future<?> other = contend(otherInstance, "job");
				int logged = output.length();
				context.close();
				assertThat(output.toString().substring(logged)).as("a normal shutdown logs no warning")
					.doesNotContain(" WARN ", " ERROR ", "Exception");
				other.get(60, TimeUnit.SECONDS);
			});
			assertThat(List.copyOf(this.history)).containsExactly("job entered", "job ended", "other entered");
		}
		finally {
			((AutoCloseable) otherInstance).close();
			otherEngine.close();
		}
	}

	@Test
	void aJdbcPoolHeldWholeByLockedSectionsStillRenewsTheirLeases() throws Exception {
		String namespace = "pool-" + UUID.randomUUID();
		LockBackend otherEngine = JdbcBackend.locks(TestDatabases.postgres(), namespace, "phonon_", true);
		LockService otherInstance = LockService.builder(otherEngine).build();
		try {
			this.runner.withPropertyValues(onPostgres(namespace))
				.withPropertyValues("spring.datasource.hikari.maximum-pool-size=2")
				.run((context) -> {
					Job job = context.getBean(Job.class);
					DataSource pool = context.getBean(DataSource.class);
					CountDownLatch holding = new CountDownLatch(2);
					List<Future<?>> sections = new ArrayList<>();
					for (int n = 1; n <= 2; n++) {
						int section = n;
						sections.add(this.threads.submit(() -> {
							job.holdConnection(section, pool, holding);
							return null;
						}));
					}
					assertThat(holding.await(30, TimeUnit.SECONDS)).as("both sections hold a connection").isTrue();
					List<Future<?>> others = List.of(contend(otherInstance, "pool:1"),
							contend(otherInstance, "pool:2"));
					for (Future<?> section : sections) {
						section.get(60, TimeUnit.SECONDS);
					}
					for (Future<?> other : others) {
						other.get(60, TimeUnit.SECONDS);
					}
				});
			for (int n = 1; n <= 2; n++) {
				String section = "pool:" + n;
				assertThat(this.history).filteredOn((event) -> event.startsWith(section + " "))
					.containsExactly(section + " entered", section + " ended, lease valid true",
							section + " other entered");
			}
		}
		finally {
			((AutoCloseable) otherInstance).close();
			otherEngine.close();
		}
	}

	@Test
	void aCleanCloseReleasesTheReferencesOnRedis(CapturedOutput output) {
		String namespace = "refs-" + UUID.randomUUID();
		releasedByTheClose(RedisBackend.references(TestRedis.connectionFactory(), namespace), output,
				onRedis(namespace));
	}

	@Test
	void aCleanCloseReleasesTheReferencesOnPostgres(CapturedOutput output) {
		String namespace = "refs-" + UUID.randomUUID();
		releasedByTheClose(JdbcBackend.references(TestDatabases.postgres(), namespace, "phonon_", true), output,
				onPostgres(namespace));
	}

	@Test
	void aCleanCloseReleasesTheReferencesOnTheFileBackend(CapturedOutput output, @TempDir Path directory) {
		releasedByTheClose(FileBackend.references(directory, "refs"), output, "phonon.backend=file",
				"phonon.file.directory=" + directory, "phonon.namespace=refs");
	}

	@Test
	void aCleanCloseReleasesTheReferencesOnTheMemoryBackend(CapturedOutput output) {
		releasedByTheClose(null, output, "phonon.backend=memory");
	}

	@Test
	void aStoppedContextRefusesNewWorkAndTakesItAgainOnceStarted() {
		this.runner.withPropertyValues("phonon.backend=memory").run((context) -> {
			LockService locks = context.getBean(LockService.class);
			References references = context.getBean(References.class);
			context.stop();
			assertThatExceptionOfType(PhononStoppedException.class)
				.isThrownBy(() -> locks.tryAcquire("job", LockOptions.defaults()));
			assertThatExceptionOfType(PhononStoppedException.class).isThrownBy(() -> references.acquire("record:1"));
			context.start();
			assertThat(locks.tryAcquire("job", LockOptions.defaults())).isPresent();
			assertThat(references.acquire("record:1").count()).isEqualTo(1);
		});
	}

	/**
	 * Closes a context holding a reference, with {@code otherEngine} (if any) standing
	 * for another instance.
	 */
	private void releasedByTheClose(ReferenceBackend otherEngine, CapturedOutput output, String... properties) {
		this.runner.withPropertyValues(properties)
			.withBean("recordHandler", LastReleaseHandler.class,
					() -> (release) -> this.history.add("last release of " + release.resource()))
			.run((context) -> {
				References references = context.getBean(References.class);
				references.acquire("record:1");
				references.acquire("record:1");
				assertThat(references.count("record:1")).isEqualTo(1);
				int logged = output.length();
				context.close();
				assertThat(output.toString().substring(logged)).as("a normal shutdown logs no warning")
					.doesNotContain(" WARN ", " ERROR ", "Exception");
			});
		assertThat(this.history).as("the closing instance was the last one out")
			.containsExactly("last release of record:1");
		if (otherEngine != null) {
			assertThat(otherEngine.count("record:1")).as("counted out at once, not after a session timeout").isZero();
			assertThat(otherEngine.unhandled()).isEmpty();
			otherEngine.close();
		}
	}

	/** The properties of a context on the test Redis, in its own namespace. */
	private static String[] onRedis(String namespace) {
		LettuceConnectionFactory redis = TestRedis.connectionFactory();
		return new String[] { "phonon.backend=redis", "spring.data.redis.host=" + redis.getHostName(),
				"spring.data.redis.port=" + redis.getPort(), "phonon.namespace=" + namespace };
	}

	/** The properties of a context on the test PostgreSQL, in its own namespace. */
	private static String[] onPostgres(String namespace) {
		return new String[] { "phonon.backend=jdbc", "spring.datasource.url=" + TestDatabases.postgresUrl(),
				"phonon.jdbc.initialize-schema=always", "phonon.namespace=" + namespace };
	}

	/** Another instance trying to take the lock until it does: its entry is recorded. */
	private Future<?> contend(LockService otherInstance, String id) {
		return this.threads.submit(() -> {
			while (true) {
				Optional<Lease> lease = otherInstance.tryAcquire(id, PROBE);
				if (lease.isPresent()) {
					this.history.add((id.equals("job") ? "" : id + " ") + "other entered");
					lease.get().close();
					return null;
				}
				Thread.sleep(25);
			}
		});
	}

	/** The guarded work. */
	static class Job {

		private final ConcurrentLinkedQueue<String> history;

		Job(ConcurrentLinkedQueue<String> history) {
			this.history = history;
		}

		@Locked(name = "job", lease = "1s")
		public void run(long millis, CountDownLatch entered) throws InterruptedException {
			this.history.add("job entered");
			entered.countDown();
			Thread.sleep(millis);
			this.history.add("job ended");
		}

		/**
		 * Holds one of the pool's connections for three leases, as locked work on the
		 * database does.
		 */
		@Locked(name = "pool", key = "#n", lease = "1s")
		public void holdConnection(int n, DataSource pool, CountDownLatch holding) throws Exception {
			this.history.add("pool:" + n + " entered");
			try (Connection connection = pool.getConnection()) {
				holding.countDown();
				connection.createStatement().execute("SELECT pg_sleep(3)");
			}
			this.history.add("pool:" + n + " ended, lease valid " + Lease.current().orElseThrow().isValid());
		}

	}

	/**
	 * An executor that waits for its tasks when the context is destroyed, as many
	 * applications' do.
	 */
	static class JobRunner implements DisposableBean {

		final CountDownLatch entered = new CountDownLatch(1);

		private final ExecutorService executor = Executors.newSingleThreadExecutor();

		private final AtomicBoolean started = new AtomicBoolean();

		void start(Job job, long millis) {
			if (this.started.compareAndSet(false, true)) {
				this.executor.execute(() -> {
					try {
						job.run(millis, this.entered);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				});
			}
		}

		@Override
		public void destroy() throws InterruptedException {
			this.executor.shutdown();
			this.executor.awaitTermination(1, TimeUnit.MINUTES);
		}

	}

}
