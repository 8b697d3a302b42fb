package io.phonon.bridge.shedlock;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.phonon.lock.Lease;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.ExtensibleLockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;

/**
 * A ShedLock {@link net.javacrumbs.shedlock.core.LockProvider} backed by Phonon's
 * {@link LockService}. The ShedLock lock name is the Phonon lock id and the meters'
 * {@code name} tag; {@code lockAtMostFor} is the lease and {@code lockAtLeastFor} delays
 * the release. While a job runs, {@link Lease#current()} is its lease, so the job can
 * pass the fencing token to what it writes. Extensible: ShedLock's
 * {@code KeepAliveLockProvider} and {@code LockExtender} work.
 */
public final class PhononLockProvider implements ExtensibleLockProvider {

	private final LockService lockService;

	/**
	 * Creates the provider.
	 * @param lockService the locks to run ShedLock on
	 */
	public PhononLockProvider(LockService lockService) {
		this.lockService = Objects.requireNonNull(lockService, "lockService");
	}

	@Override
	public Optional<SimpleLock> lock(LockConfiguration configuration) {
		LockOptions options = LockOptions.defaults()
			.withName(configuration.getName())
			.withLease(configuration.getLockAtMostFor())
			.withWait(Duration.ZERO);
		return this.lockService.tryEnter(configuration.getName(), options)
			.map((lease) -> new PhononSimpleLock(lease, configuration.getLockAtLeastUntil()));
	}

	@Override
	public String toString() {
		return "PhononLockProvider[" + this.lockService + "]";
	}

	/**
	 * One acquisition or extension; ShedLock ends it once, by unlocking or extending it.
	 */
	private static final class PhononSimpleLock implements SimpleLock {

		private final Lease lease;

		private final Instant lockAtLeastUntil;

		private final AtomicBoolean ended = new AtomicBoolean();

		PhononSimpleLock(Lease lease, Instant lockAtLeastUntil) {
			this.lease = lease;
			this.lockAtLeastUntil = lockAtLeastUntil;
		}

		@Override
		public void unlock() {
			end();
			this.lease.closeAfter(Duration.between(ClockProvider.now(), this.lockAtLeastUntil));
		}

		@Override
		public Optional<SimpleLock> extend(Duration lockAtMostFor, Duration lockAtLeastFor) {
			end();
			// An expired lease is not brought back, even where the engine still has the
			// lock free.
			if (!this.lease.isValid() || !this.lease.extend(lockAtMostFor)) {
				return Optional.empty();
			}
			return Optional.of(new PhononSimpleLock(this.lease, ClockProvider.now().plus(lockAtLeastFor)));
		}

		private void end() {
			if (!this.ended.compareAndSet(false, true)) {
				throw new IllegalStateException("Lock '" + this.lease.id()
						+ "' was already unlocked or extended; use the lock that extend returned");
			}
		}

	}

}
