package io.phonon.bridge.integration;

import java.time.Duration;
import java.time.Instant;
import java.util.ConcurrentModificationException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.phonon.lock.Lease;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.support.locks.DistributedLock;
import org.springframework.integration.support.locks.ExpirableLockRegistry;
import org.springframework.integration.support.locks.RenewableLockRegistry;

/**
 * A Spring Integration lock registry backed by Phonon's {@link LockService}: a drop-in
 * for {@code RedisLockRegistry} and {@code JdbcLockRegistry}. As with those, a lock
 * belongs to the thread that locked it, is re-entrant on that thread, and holds the store
 * for its time to live (the {@code ttl} given, or {@code phonon.lock.lease});
 * {@link #renewLock} extends it. On top, every acquisition has a fencing token
 * ({@link #token(Object)}) and Phonon's lock meters, tagged with the registry key.
 */
public final class PhononLockRegistry
		implements ExpirableLockRegistry<DistributedLock>, RenewableLockRegistry<DistributedLock> {

	/**
	 * How long one engine wait lasts within an unbounded
	 * {@link java.util.concurrent.locks.Lock#lock()}.
	 */
	private static final Duration WAIT_ROUND = Duration.ofSeconds(30);

	private final LockService lockService;

	private final String registryKey;

	private final ConcurrentHashMap<String, PhononDistributedLock> locks = new ConcurrentHashMap<>();

	/**
	 * Creates the registry.
	 * @param lockService the locks to run on
	 * @param registryKey the prefix of this registry's lock ids
	 * ({@code registryKey:lockKey}) and the {@code name} tag of their meters, like the
	 * {@code registryKey} of Spring Integration's registries
	 */
	public PhononLockRegistry(LockService lockService, String registryKey) {
		this.lockService = Objects.requireNonNull(lockService, "lockService");
		if (registryKey == null || registryKey.isEmpty()) {
			throw new IllegalArgumentException(
					"A PhononLockRegistry needs a registry key, such as the application's name");
		}
		this.registryKey = registryKey;
	}

	@Override
	public DistributedLock obtain(Object lockKey) {
		return this.locks.computeIfAbsent(key(lockKey), PhononDistributedLock::new).used();
	}

	@Override
	public void expireUnusedOlderThan(long age) {
		long oldest = System.currentTimeMillis() - age;
		this.locks.values().removeIf((lock) -> lock.lastUsed < oldest && !lock.local.isLocked());
	}

	@Override
	public void renewLock(Object lockKey) {
		renewLock(lockKey, null);
	}

	@Override
	public void renewLock(Object lockKey, @Nullable Duration ttl) {
		PhononDistributedLock lock = heldByThisThread(lockKey);
		Lease lease = Objects.requireNonNull(lock.lease);
		if (!lease.extend((ttl != null) ? ttl : lock.ttl)) {
			throw new IllegalStateException("Failed to renew the lock at '" + lease.id() + "': it was lost");
		}
	}

	/**
	 * Returns the fencing token of the lock the calling thread holds for {@code lockKey}:
	 * strictly greater than that of every earlier acquisition, so a store can refuse
	 * writes made under an older one.
	 * @param lockKey the lock key
	 * @return the token
	 * @throws IllegalStateException if the calling thread does not hold the lock
	 */
	public long token(Object lockKey) {
		return Objects.requireNonNull(heldByThisThread(lockKey).lease).token();
	}

	private PhononDistributedLock heldByThisThread(Object lockKey) {
		PhononDistributedLock lock = this.locks.get(key(lockKey));
		if (lock == null || !lock.local.isHeldByCurrentThread() || lock.lease == null) {
			throw new IllegalStateException("The current thread does not hold the lock at '" + lockKey + "'");
		}
		return lock;
	}

	private String key(Object lockKey) {
		if (!(lockKey instanceof String key)) {
			throw new IllegalArgumentException(
					"A lock key must be a String, was " + ((lockKey != null) ? lockKey.getClass().getName() : "null"));
		}
		return this.registryKey + ":" + key;
	}

	@Override
	public String toString() {
		return "PhononLockRegistry[" + this.registryKey + "]";
	}

	/**
	 * A lock of one key: a thread's hold in this JVM, and the lease in the engine while
	 * held.
	 */
	private final class PhononDistributedLock implements DistributedLock {

		private final String id;

		private final ReentrantLock local = new ReentrantLock();

		/**
		 * The engine's lease, while the local lock is held; written only by its holder.
		 */
		private volatile @Nullable Lease lease;

		/**
		 * The time to live of the lease held: what {@link #renewLock(Object)} extends by.
		 */
		private volatile Duration ttl = Duration.ZERO;

		private volatile long lastUsed;

		PhononDistributedLock(String id) {
			this.id = id;
		}

		PhononDistributedLock used() {
			this.lastUsed = System.currentTimeMillis();
			return this;
		}

		@Override
		public void lock() {
			lock(null);
		}

		@Override
		public void lock(@Nullable Duration ttl) {
			// Not interruptible: an interrupt while waiting is kept for later, and the
			// wait goes on.
			boolean interrupted = false;
			while (true) {
				try {
					lockInterruptibly(ttl);
					break;
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}

		@Override
		public void lockInterruptibly() throws InterruptedException {
			lockInterruptibly(null);
		}

		private void lockInterruptibly(@Nullable Duration ttl) throws InterruptedException {
			this.local.lockInterruptibly();
			if (this.local.getHoldCount() == 1) {
				engage(ttl, null);
			}
		}

		@Override
		public boolean tryLock() {
			try {
				return tryLock(Duration.ZERO, null);
			}
			catch (InterruptedException ex) {
				// Only the engine's attempt can see the interrupt; keep it for the
				// caller.
				Thread.currentThread().interrupt();
				return false;
			}
		}

		@Override
		public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
			return tryLock(Duration.of(time, unit.toChronoUnit()), null);
		}

		@Override
		public boolean tryLock(Duration waitTime, @Nullable Duration ttl) throws InterruptedException {
			long waitNanos = Math.max(waitTime.toNanos(), 0);
			long deadline = System.nanoTime() + waitNanos;
			// Without a wait, as Lock.tryLock(): an interrupt does not matter.
			boolean local = (waitNanos == 0) ? this.local.tryLock()
					: this.local.tryLock(waitNanos, TimeUnit.NANOSECONDS);
			return local && (this.local.getHoldCount() > 1 || engage(ttl, deadline));
		}

		/**
		 * Takes the engine's lock for the thread that just took the local one, until
		 * {@code deadline} ({@link System#nanoTime()}) or, without one, until granted.
		 * Unless granted, lets the local lock go again.
		 */
		private boolean engage(@Nullable Duration ttl, @Nullable Long deadline) throws InterruptedException {
			try {
				do {
					acquire(ttl, (deadline != null) ? Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0))
							: WAIT_ROUND);
				}
				while (this.lease == null && deadline == null);
			}
			catch (CancellationException ex) {
				this.local.unlock();
				Thread.interrupted(); // an InterruptedException clears the status, as
										// Java's own do
				throw new InterruptedException(ex.getMessage());
			}
			catch (RuntimeException ex) {
				this.local.unlock();
				throw ex;
			}
			if (this.lease == null) {
				this.local.unlock();
				return false;
			}
			return true;
		}

		@Override
		public void unlock() {
			if (!this.local.isHeldByCurrentThread()) {
				throw new IllegalMonitorStateException(
						"The current thread does not hold the lock at '" + this.id + "'");
			}
			if (this.local.getHoldCount() > 1) {
				this.local.unlock();
				return;
			}
			Lease held = Objects.requireNonNull(this.lease);
			this.lease = null;
			try {
				boolean valid = held.isValid();
				held.close();
				if (!valid) {
					throw new ConcurrentModificationException("The lock at '" + this.id + "' expired before it was"
							+ " unlocked (its time to live ran out): the data it protects may have been changed by"
							+ " another holder meanwhile. Lock with a longer ttl, or renew it with renewLock");
				}
			}
			finally {
				this.local.unlock();
			}
		}

		@Override
		public Condition newCondition() {
			throw new UnsupportedOperationException("Conditions are not supported by a distributed lock");
		}

		/**
		 * Asks the engine, holding the local lock; sets {@link #lease} if it was granted.
		 */
		private void acquire(@Nullable Duration ttl, Duration wait) {
			LockOptions options = LockOptions.defaults().withName(PhononLockRegistry.this.registryKey).withWait(wait);
			Lease granted = PhononLockRegistry.this.lockService
				.tryAcquire(this.id, (ttl != null) ? options.withLease(ttl) : options)
				.orElse(null);
			if (granted != null) {
				this.ttl = Duration.between(Instant.now(), granted.expiresAt());
				this.lease = granted;
			}
		}

		@Override
		public String toString() {
			return "PhononDistributedLock[" + this.id + ", " + ((this.lease != null) ? "held" : "free") + "]";
		}

	}

}
