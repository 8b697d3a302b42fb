package io.phonon.bridge.shedlock;

import java.util.UUID;

import io.phonon.backend.jdbc.JdbcBackend;
import io.phonon.backend.memory.MemoryBackend;
import io.phonon.backend.redis.RedisBackend;
import io.phonon.lock.Lease;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import io.phonon.testsupport.TestDatabases;
import io.phonon.testsupport.TestRedis;
import net.javacrumbs.shedlock.core.ExtensibleLockProvider;
import net.javacrumbs.shedlock.test.support.AbstractExtensibleLockProviderIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ShedLock's own test suite for lock providers, the one its Redis and JDBC providers pass, run
 * against {@link PhononLockProvider} on the memory, redis and jdbc (PostgreSQL) backends.
 */
class PhononLockProviderTests {

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
	 * The suite over one backend. Whether a lock is held is asked through a second lock service,
	 * as another process would see it.
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
