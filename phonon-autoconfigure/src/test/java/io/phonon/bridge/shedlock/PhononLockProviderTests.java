package io.phonon.bridge.shedlock;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.phonon.backend.jdbc.JdbcBackend;
import io.phonon.backend.memory.MemoryBackend;
import io.phonon.backend.redis.RedisBackend;
import io.phonon.lock.Lease;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import io.phonon.testsupport.TestDatabases;
import io.phonon.testsupport.TestRedis;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.ExtensibleLockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.support.KeepAliveLockProvider;
import net.javacrumbs.shedlock.test.support.AbstractExtensibleLockProviderIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ShedLock's own test suite for lock providers, the one its Redis and JDBC providers
 * pass, run against {@link PhononLockProvider} on the memory, redis and jdbc (PostgreSQL)
 * backends.
 */
class PhononLockProviderTests {

	/** ShedLock's KeepAliveLockProvider extends a long job's lock through the bridge. */
	@Test
	void keepAliveLockProviderExtendsTheLease() throws Exception {
		AtomicReference<Runnable> extension = new AtomicReference<>();
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1) {

			@Override
			public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period,
					TimeUnit unit) {
				extension.set(command); // run by the test below, not after 15 s
				return super.schedule(() -> {
				}, 1, TimeUnit.DAYS);
			}

		};
		try (LockBackend backend = MemoryBackend.locks()) {
			LockService locks = LockService.builder(backend).build();
			KeepAliveLockProvider provider = new KeepAliveLockProvider(new PhononLockProvider(locks), scheduler);
			Instant now = ClockProvider.now();
			SimpleLock lock = provider
				.lock(new LockConfiguration(now, "long-job", Duration.ofSeconds(30), Duration.ZERO))
				.orElseThrow();
			Instant firstExpiry = locks.held().get(0).expiresAt();
			Thread.sleep(1100);
			extension.get().run();
			assertThat(locks.held()).singleElement()
				.satisfies((held) -> assertThat(held.expiresAt()).isAfter(firstExpiry.plusSeconds(1)));
			lock.unlock();
			assertThat(locks.held()).isEmpty();
			((AutoCloseable) locks).close();
		}
		finally {
			scheduler.shutdownNow();
		}
	}

	@Nested
	class OnMemory extends ShedLockSuite {

		OnMemory() {
			super(MemoryBackend.locks());
		}

	}

	@Nested
	class OnRedis extends ShedLockSuite {

		OnRedis() {
			super(RedisBackend.locks(TestRedis.connectionFactory(), "shedlock-" + UUID.randomUUID()));
		}

	}

	@Nested
	class OnPostgres extends ShedLockSuite {

		OnPostgres() {
			super(JdbcBackend.locks(TestDatabases.postgres(), "shedlock-" + UUID.randomUUID(), "phonon_", true));
		}

	}

	/**
	 * The suite over one backend. Whether a lock is held is asked through a second lock
	 * service, as another process would see it.
	 */
	abstract static class ShedLockSuite extends AbstractExtensibleLockProviderIntegrationTest {

		private final LockBackend backend;

		private final LockService locks;

		private final LockService otherProcess;

		private final PhononLockProvider provider;

		ShedLockSuite(LockBackend backend) {
			this.backend = backend;
			this.locks = LockService.builder(backend).build();
			this.otherProcess = LockService.builder(backend).build();
			this.provider = new PhononLockProvider(this.locks);
		}

		@AfterEach
		void close() throws Exception {
			((AutoCloseable) this.locks).close();
			((AutoCloseable) this.otherProcess).close();
			this.backend.close();
		}

		@Override
		protected ExtensibleLockProvider getLockProvider() {
			return this.provider;
		}

		@Override
		protected void assertLocked(String lockName) {
			assertThat(this.otherProcess.tryAcquire(lockName, LockOptions.defaults()).map(Lease::token))
				.as("another process's attempt on '%s'", lockName)
				.isEmpty();
		}

		@Override
		protected void assertUnlocked(String lockName) {
			try (Lease lease = this.otherProcess.tryAcquire(lockName, LockOptions.defaults())
				.orElseThrow(() -> new AssertionError("'" + lockName + "' is still locked"))) {
				assertThat(lease.token()).isPositive();
			}
		}

	}

}
