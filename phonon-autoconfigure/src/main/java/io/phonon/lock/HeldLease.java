package io.phonon.lock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import io.micrometer.core.instrument.LongTaskTimer;
import org.jspecify.annotations.Nullable;

/**
 * A lease that holds its lock in the engine. Validity is tracked on the monotonic clock from
 * the start of the request that took or last extended it.
 */
final class HeldLease extends ScopedLease {

	private static final VarHandle CLOSED;

	private static final VarHandle LOST;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			CLOSED = lookup.findVarHandle(HeldLease.class, "closed", boolean.class);
			LOST = lookup.findVarHandle(HeldLease.class, "lost", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final LockBackend backend;

	private final LeaseRenewer renewer;

	/** The service's leases held now that the renewer does not renew; this one leaves it when closed or lost. */
	private final Set<HeldLease> holdings;

	private final LockMeters.Named meters;

	private final LongTaskTimer.@Nullable Sample activeSample;

	private final String id;

	private final String owner;

	private final long token;

	private final long acquiredAt;

	/** Whether a later acquisition of this id on the holding thread joins this lease. */
	private final boolean reentrant;

	private volatile long leaseNanos;

	private volatile long validUntil;

	private volatile long nextRenewal;

	private volatile boolean closed;

	private volatile boolean lost;

	HeldLease(LockBackend backend, LeaseRenewer renewer, Set<HeldLease> holdings, LockMeters.Named meters,
			LongTaskTimer.@Nullable Sample activeSample, String id, String owner, long token, long leaseNanos,
			long requestedAt, boolean reentrant) {
		this.backend = backend;
		this.renewer = renewer;
		this.holdings = holdings;
		this.meters = meters;
		this.activeSample = activeSample;
		this.id = id;
		this.owner = owner;
		this.token = token;
		this.acquiredAt = requestedAt;
		this.reentrant = reentrant;
		this.leaseNanos = leaseNanos;
		this.validUntil = requestedAt + leaseNanos;
		this.nextRenewal = requestedAt + leaseNanos / 3;
	}

	@Override
	HeldLease root() {
		return this;
	}

	@Override
	boolean isClosed() {
		return this.closed;
	}

	/**
	 * Whether a new acquisition of {@code id} on {@code backend} joins this lease: re-entrancy
	 * never crosses engines.
	 */
	boolean joins(LockBackend backend, String id) {
		return this.reentrant && this.backend == backend && this.id.equals(id) && isValid();
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public long token() {
		return this.token;
	}

	@Override
	public boolean isValid() {
		return !this.closed && !this.lost && System.nanoTime() - this.validUntil < 0;
	}

	@Override
	public Instant expiresAt() {
		return Instant.now().plusNanos(this.validUntil - System.nanoTime());
	}

	/** Describes this lease for {@link LockService#held()}. */
	HeldLock describe() {
		long now = System.nanoTime();
		Instant wallNow = Instant.now();
		return new HeldLock(this.id, this.token, wallNow.minusNanos(now - this.acquiredAt),
				wallNow.plusNanos(this.validUntil - now));
	}

	/** Returns when the renewer should next extend this lease: once a third of it has run. */
	long renewAt() {
		return this.nextRenewal;
	}

	/** Schedules a retry after the engine failed to renew: a quarter of what remains, at least 1 ms. */
	void renewalFailed() {
		long now = System.nanoTime();
		this.nextRenewal = now + Math.max((this.validUntil - now) / 4, 1_000_000L);
	}

	@Override
	public boolean extend(Duration lease) {
		return extend(LockOptions.checkLease(lease).toNanos());
	}

	/** Extends by the current lease duration: the renewer's call. */
	boolean renew() {
		if (System.nanoTime() - this.validUntil >= 0) {
			markLost();
			return false;
		}
		return extend(this.leaseNanos);
	}

	private boolean extend(long nanos) {
		if (this.closed || this.lost) {
			return false;
		}
		long requestedAt = System.nanoTime();
		if (!this.backend.renew(this.id, this.owner, Duration.ofNanos(nanos))) {
			markLost();
			return false;
		}
		this.leaseNanos = nanos;
		this.validUntil = requestedAt + nanos;
		this.nextRenewal = requestedAt + nanos / 3;
		return true;
	}

	void markLost() {
		if (LOST.compareAndSet(this, false, true)) {
			this.renewer.remove(this);
			this.holdings.remove(this);
			this.meters.lost();
		}
	}

	@Override
	public void close() {
		if (!CLOSED.compareAndSet(this, false, true)) {
			return;
		}
		letGo();
		if (!this.backend.release(this.id, this.owner)) {
			markLost();
		}
	}

	@Override
	public boolean closeAfter(Duration delay) {
		if (delay.isNegative() || delay.isZero()) {
			boolean wasOpen = !this.closed;
			close();
			return wasOpen && !this.lost;
		}
		this.renewer.remove(this); // so no renewal lengthens the delay
		boolean extended = extend(delay.toNanos());
		if (!CLOSED.compareAndSet(this, false, true)) {
			return false;
		}
		letGo();
		return extended;
	}

	/** Forgets this closed lease here: no renewal, no longer held in the scope, the meters or the endpoint. */
	private void letGo() {
		this.renewer.remove(this);
		this.holdings.remove(this);
		LeaseScope.leave(this);
		if (this.activeSample != null) {
			this.activeSample.stop();
		}
	}

	@Override
	public String toString() {
		return "Lease[id=" + this.id + ", token=" + this.token + ", valid=" + isValid() + "]";
	}

}
