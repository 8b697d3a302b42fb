package io.phonon.bridge.integration;

import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;

import io.phonon.backend.jdbc.JdbcBackend;
import io.phonon.backend.memory.MemoryBackend;
import io.phonon.backend.redis.RedisBackend;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockService;
import io.phonon.testsupport.TestDatabases;
import io.phonon.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.integration.support.locks.DistributedLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link PhononLockRegistry} through the cases Spring Integration's own
 * {@code RedisLockRegistryTests} and {@code JdbcLockRegistryTests} check, on the memory,
 * redis and jdbc (PostgreSQL) backends. Two registries over two lock services stand for
 * two processes.
 */
class PhononLockRegistryTests {

	@Nested
	class OnMemory extends RegistrySuite {

		OnMemory() {
			super(MemoryBackend.locks());
		}

	}

	@Nested
	class OnRedis extends RegistrySuite {

		OnRedis() {
			super(RedisBackend.locks(TestRedis.connectionFactory(), "registry-" + UUID.randomUUID()));
		}

	}

	@Nested
	class OnPostgres extends RegistrySuite {

		OnPostgres() {
			super(JdbcBackend.locks(TestDatabases.postgres(), "registry-" + UUID.randomUUID(), "phonon_", true));
		}

	}

	abstract static class RegistrySuite {

		private final LockBackend backend;

		private final LockService locks;

		private final LockService otherLocks;

		private final PhononLockRegistry registry;

		private final PhononLockRegistry otherProcess;

		RegistrySuite(LockBackend backend) {
			this.backend = backend;
			this.locks = LockService.builder(backend).build();
			this.otherLocks = LockService.builder(backend).build();
			this.registry = new PhononLockRegistry(this.locks, "orders");
			this.otherProcess = new PhononLockRegistry(this.otherLocks, "orders");
		}

		@AfterEach
		void close() throws Exception {
			((AutoCloseable) this.locks).close();
			((AutoCloseable) this.otherLocks).close();
			this.backend.close();
		}

		@Test
		void lockAndUnlockRepeatedly() throws Exception {
			for (int i = 0; i < 10; i++) {
				Lock lock = this.registry.obtain("foo");
				lock.lock();
				try {
					assertThat(tryLockElsewhere(this.otherProcess, "foo")).isFalse();
				}
				finally {
					lock.unlock();
				}
			}
			assertThat(tryLockElsewhere(this.otherProcess, "foo")).isTrue();
		}

		@Test
		void lockInterruptiblyAndTryLock() throws Exception {
			Lock lock = this.registry.obtain("foo");
			lock.lockInterruptibly();
			lock.unlock();
			assertThat(lock.tryLock()).isTrue();
			lock.unlock();
			assertThat(lock.tryLock(100, TimeUnit.MILLISECONDS)).isTrue();
			lock.unlock();
		}

		@Test
		void reentrantOnTheHoldingThread() throws Exception {
			Lock lock = this.registry.obtain("foo");
			lock.lock();
			Lock again = this.registry.obtain("foo");
			assertThat(again).isSameAs(lock);
			again.lock();
			again.unlock();
			assertThat(tryLockElsewhere(this.otherProcess, "foo")).as("still held after the inner unlock").isFalse();
			lock.unlock();
			assertThat(tryLockElsewhere(this.otherProcess, "foo")).isTrue();
		}

		@Test
		void twoKeysAreTwoLocks() {
			Lock foo = this.registry.obtain("foo");
			Lock bar = this.registry.obtain("bar");
			foo.lock();
			bar.lock();
			assertThat(foo).isNotSameAs(bar);
			bar.unlock();
			foo.unlock();
		}

		@Test
		void anotherThreadFailsToGetTheLock() throws Exception {
			Lock lock = this.registry.obtain("foo");
			lock.lock();
			try {
				assertThat(tryLockElsewhere(this.registry, "foo")).isFalse();
			}
			finally {
				lock.unlock();
			}
		}

		@Test
		void anotherThreadWaitsUntilTheHolderUnlocks() throws Exception {
			Lock lock = this.registry.obtain("foo");
			lock.lock();
			CountDownLatch waiting = new CountDownLatch(1);
			CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(() -> {
				Lock same = this.otherProcess.obtain("foo");
				waiting.countDown();
				same.lock();
				same.unlock();
				return true;
			});
			assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
			Thread.sleep(100);
			assertThat(other).isNotDone();
			lock.unlock();
			assertThat(other.get(20, TimeUnit.SECONDS)).isTrue();
		}

		@Test
		void anInterruptEndsLockInterruptiblyButNotLock() throws Exception {
			Lock held = this.otherProcess.obtain("foo");
			held.lock();
			boolean released = false;
			try {
				CompletableFuture<Throwable> interruptible = new CompletableFuture<>();
				Thread waiting = new Thread(() -> {
					try {
						this.registry.obtain("foo").lockInterruptibly();
						interruptible.complete(null);
					}
					catch (Throwable ex) {
						interruptible.complete(ex);
					}
				});
				waiting.start();
				Thread.sleep(200);
				waiting.interrupt();
				assertThat(interruptible.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);

				CompletableFuture<Boolean> uninterruptible = new CompletableFuture<>();
				Thread patient = new Thread(() -> {
					Lock lock = this.registry.obtain("foo");
					lock.lock();
					uninterruptible.complete(Thread.currentThread().isInterrupted());
					lock.unlock();
				});
				patient.start();
				Thread.sleep(200);
				patient.interrupt();
				Thread.sleep(200);
				assertThat(uninterruptible).as("still waiting after the interrupt").isNotDone();
				held.unlock();
				released = true;
				assertThat(uninterruptible.get(20, TimeUnit.SECONDS)).as("the interrupt kept for later").isTrue();
			}
			finally {
				if (!released) {
					held.unlock();
				}
			}
		}

		@Test
		void onlyOneOfManyThreadsAcrossTwoProcessesHoldsTheLockAtATime() throws Exception {
			AtomicInteger inside = new AtomicInteger();
			AtomicInteger overlaps = new AtomicInteger();
			AtomicInteger runs = new AtomicInteger();
			CompletableFuture<?>[] workers = new CompletableFuture<?>[6];
			for (int w = 0; w < workers.length; w++) {
				PhononLockRegistry registry = (w % 2 == 0) ? this.registry : this.otherProcess;
				workers[w] = CompletableFuture.runAsync(() -> {
					for (int i = 0; i < 20; i++) {
						Lock lock = registry.obtain("counter");
						lock.lock();
						try {
							if (inside.incrementAndGet() > 1) {
								overlaps.incrementAndGet();
							}
							runs.incrementAndGet();
							inside.decrementAndGet();
						}
						finally {
							lock.unlock();
						}
					}
				});
			}
			CompletableFuture.allOf(workers).get(60, TimeUnit.SECONDS);
			assertThat(runs).hasValue(120);
			assertThat(overlaps).hasValue(0);
		}

		@Test
		void onlyTheHoldingThreadMayUnlock() throws Exception {
			Lock lock = this.registry.obtain("foo");
			lock.lock();
			try {
				CompletableFuture<Throwable> wrongUnlock = CompletableFuture.supplyAsync(() -> {
					try {
						lock.unlock();
						return null;
					}
					catch (IllegalMonitorStateException ex) {
						return ex;
					}
				});
				assertThat(wrongUnlock.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalMonitorStateException.class)
					.hasMessageContaining("orders:foo");
			}
			finally {
				lock.unlock();
			}
		}

		@Test
		void anExpiredLockIsTakenByAnotherProcessAndItsUnlockSaysSo() throws Exception {
			DistributedLock lock = this.registry.obtain("foo");
			lock.lock(Duration.ofMillis(100));
			Thread.sleep(200);
			assertThat(tryLockElsewhere(this.otherProcess, "foo")).isTrue();
			assertThatExceptionOfType(ConcurrentModificationException.class).isThrownBy(lock::unlock)
				.withMessageContaining("expired before it was unlocked");
			assertThat(lock.tryLock()).as("the thread let go of it all the same").isTrue();
			lock.unlock();
		}

		@Test
		void renewingKeepsTheLockPastItsFirstTimeToLive() throws Exception {
			DistributedLock lock = this.registry.obtain("foo");
			assertThat(lock.tryLock(Duration.ZERO, Duration.ofMillis(300))).isTrue();
			Thread.sleep(150);
			this.registry.renewLock("foo", Duration.ofSeconds(10));
			Thread.sleep(250);
			assertThat(tryLockElsewhere(this.otherProcess, "foo")).isFalse();
			this.registry.renewLock("foo");
			lock.unlock();
			assertThatIllegalStateException().isThrownBy(() -> this.registry.renewLock("foo"))
				.withMessageContaining("does not hold the lock at 'foo'");
		}

		@Test
		void eachAcquisitionHasAGreaterFencingToken() {
			long previous = 0;
			for (int i = 0; i < 3; i++) {
				PhononLockRegistry registry = (i % 2 == 0) ? this.registry : this.otherProcess;
				Lock lock = registry.obtain("foo");
				lock.lock();
				long token = registry.token("foo");
				lock.unlock();
				assertThat(token).isGreaterThan(previous);
				previous = token;
			}
		}

		@Test
		void executeLockedRunsTheTaskHoldingTheLock() throws Exception {
			String result = this.registry.executeLocked("foo", () -> {
				assertThat(tryLockElsewhere(this.otherProcess, "foo")).isFalse();
				return "done";
			});
			assertThat(result).isEqualTo("done");
			assertThat(tryLockElsewhere(this.otherProcess, "foo")).isTrue();
		}

		@Test
		void unusedLocksExpireFromTheRegistry() throws Exception {
			Lock held = this.registry.obtain("held");
			held.lock();
			Lock unused = this.registry.obtain("unused");
			Thread.sleep(20);
			this.registry.expireUnusedOlderThan(10);
			assertThat(this.registry.obtain("held")).isSameAs(held);
			assertThat(this.registry.obtain("unused")).isNotSameAs(unused);
			held.unlock();
		}

		@Test
		void badInputIsRefusedClearly() {
			assertThatIllegalArgumentException().isThrownBy(() -> this.registry.obtain(42))
				.withMessage("A lock key must be a String, was java.lang.Integer");
			assertThatExceptionOfType(UnsupportedOperationException.class)
				.isThrownBy(() -> this.registry.obtain("foo").newCondition());
			assertThatIllegalArgumentException().isThrownBy(() -> new PhononLockRegistry(this.locks, ""))
				.withMessageContaining("needs a registry key");
		}

		/**
		 * Tries the lock on another thread, as another holder would, and lets it go at
		 * once.
		 */
		private static boolean tryLockElsewhere(PhononLockRegistry registry, String key) throws Exception {
			return CompletableFuture.supplyAsync(() -> {
				Lock lock = registry.obtain(key);
				if (lock.tryLock()) {
					lock.unlock();
					return true;
				}
				return false;
			}).get(10, TimeUnit.SECONDS);
		}

	}

}
