package io.phonon.lock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.micrometer.core.instrument.LongTaskTimer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A lease that holds its lock in the engine. Validity is tracked on the monotonic clock
 * from the start of the request that took or last extended it.
 */
final class HeldLease extends ScopedLease {

	private static final VarHandle CLOSED;

	private static final VarHandle LOST;

	private static final VarHandle RENEWING;

	private static final Log logger = LogFactory.getLog(HeldLease.class);

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			CLOSED = lookup.findVarHandle(HeldLease.class, "closed", boolean.class);
			LOST = lookup.findVarHandle(HeldLease.class, "lost", boolean.class);
			RENEWING = lookup.findVarHandle(HeldLease.class, "renewing", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final LockBackend backend;

	/** How it is released: by the engine, or handed to a waiting thread. */
	private final Release release;

	private final LeaseRenewer renewer;

	/**
	 * The service's leases held now that the renewer does not renew; this one leaves it
	 * when closed or lost.
	 */
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

	/** Whether a renewal of this lease is waiting for the engine. */
	private volatile boolean renewing;

	/**
	 * What to run when the lease is lost; made by the first {@link #onLost}. Guarded by
	 * this.
	 */
	private @Nullable List<Runnable> lostActions;

	HeldLease(LockBackend backend, Release release, LeaseRenewer renewer, Set<HeldLease> holdings,
			LockMeters.Named meters, LongTaskTimer.@Nullable Sample activeSample, String id, String owner, long token,
			long leaseNanos, long requestedAt, boolean reentrant) {
		this.backend = backend;
		this.release = release;
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
	 * Whether a new acquisition of {@code id} on {@code backend} joins this lease:
	 * re-entrancy never crosses engines.
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

	/** Returns when the lease runs out unless renewed, on the monotonic clock. */
	long validUntil() {
		return this.validUntil;
	}

	/** Claims the renewal of this lease for one renewer task. */
	boolean beginRenewal() {
		return RENEWING.compareAndSet(this, false, true);
	}

	void endRenewal() {
		this.renewing = false;
	}

	boolean isRenewing() {
		return this.renewing;
	}

	/**
	 * Returns when the renewer should next extend this lease: once a third of it has run.
	 */
	long renewAt() {
		return this.nextRenewal;
	}

	/**
	 * Returns how much earlier than {@link #renewAt()} the renewer may renew this lease,
	 * to renew it together with others: a sixth of the lease, so that it is renewed after
	 * a sixth at the earliest.
	 */
	long renewalSlack() {
		return this.leaseNanos / 6;
	}

	/**
	 * Schedules a retry after the engine failed to renew: a quarter of what remains, at
	 * least 1 ms.
	 */
	void renewalFailed() {
		long now = System.nanoTime();
		this.nextRenewal = now + Math.max((this.validUntil - now) / 4, 1_000_000L);
	}

	@Override
	public boolean extend(Duration lease) {
		return extend(LockOptions.checkLease(lease).toNanos());
	}

	/**
	 * Returns what the renewer asks the engine for this lease, or null (marking it lost
	 * if it ran out) when there is nothing left to renew.
	 */
	LockBackend.@Nullable Renewal renewal(long now) {
		if (this.closed || this.lost) {
			return null;
		}
		if (now - this.validUntil >= 0) {
			markLost();
			return null;
		}
		return new LockBackend.Renewal(this.id, this.owner, Duration.ofNanos(this.leaseNanos));
	}

	/**
	 * Records the engine's answer to a renewal requested at {@code requestedAt}: valid
	 * for the lease from then, or lost.
	 * @return whether it was renewed
	 */
	boolean renewed(long requestedAt, long nanos, boolean renewed) {
		if (!renewed) {
			markLost();
			return false;
		}
		this.leaseNanos = nanos;
		this.validUntil = requestedAt + nanos;
		this.nextRenewal = requestedAt + nanos / 3;
		return true;
	}

	private boolean extend(long nanos) {
		if (this.closed || this.lost) {
			return false;
		}
		long requestedAt = System.nanoTime();
		return renewed(requestedAt, nanos, this.backend.renew(this.id, this.owner, Duration.ofNanos(nanos)));
	}

	@Override
	public void onLost(Runnable action) {
		synchronized (this) {
			if (!this.lost) {
				if (this.lostActions == null) {
					this.lostActions = new ArrayList<>(2);
				}
				this.lostActions.add(action);
				return;
			}
		}
		runLostAction(action);
	}

	void markLost() {
		if (LOST.compareAndSet(this, false, true)) {
			this.release.ended(this);
			this.renewer.remove(this);
			this.holdings.remove(this);
			this.meters.lost();
			if (this.closed) {
				return; // found lost only by its release: the work was over, so nobody is
						// told
			}
			List<Runnable> actions;
			synchronized (this) {
				actions = this.lostActions;
				this.lostActions = null;
			}
			if (actions != null) {
				actions.forEach(this::runLostAction);
			}
		}
	}

	private void runLostAction(Runnable action) {
		try {
			action.run();
		}
		catch (RuntimeException ex) {
			logger.warn("An onLost action of the lease of lock '" + this.id + "' failed", ex);
		}
	}

	/**
	 * Takes the lease from a scope that outlived the service's stop: lost (its actions
	 * run), then released, so that another owner may enter.
	 */
	void revoke() {
		markLost();
		close();
	}

	@Override
	public void close() {
		if (!CLOSED.compareAndSet(this, false, true)) {
			return;
		}
		// Closed, so no renewal extends it; it leaves the renewer's set (what a stop
		// waits for) only once the engine has answered, so the engine's connections
		// outlive the release.
		boolean released;
		try {
			released = this.release.release(this.id, this.owner);
		}
		finally {
			letGo();
		}
		if (!released) {
			markLost();
		}
	}

	/**
	 * Closes as {@link #close()} does without blocking the thread, where the release
	 * allows it ({@link Release#releasesWithoutBlocking}): the engine's answer completes
	 * the stage on the engine client's thread.
	 * @return the release, completed exceptionally if the engine failed; or null, with
	 * nothing done, where only {@link #close()} may release
	 */
	@Nullable CompletionStage<Void> closeWithoutBlocking() {
		if (!this.release.releasesWithoutBlocking(this.id)) {
			return null;
		}
		if (!CLOSED.compareAndSet(this, false, true)) {
			return CompletableFuture.completedFuture(null);
		}
		return this.release.releaseWithoutBlocking(this.id, this.owner).handle((released, failure) -> {
			letGo();
			if (failure == null && !released) {
				markLost();
			}
			if (failure != null) {
				throw (failure instanceof RuntimeException runtime) ? runtime : new IllegalStateException(failure);
			}
			return null;
		});
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

	/**
	 * Forgets this closed lease here: no renewal, no longer held in the scope, the meters
	 * or the endpoint.
	 */
	private void letGo() {
		this.release.ended(this);
		this.renewer.remove(this);
		this.holdings.remove(this);
		LeaseScope.leave(this);
		if (this.activeSample != null) {
			this.activeSample.stop();
		}
	}

	/**
	 * A hash of the id and token, which no two leases held at once share, so that the
	 * sets of held leases need no identity hash (installing one on each new lease is a
	 * call into the VM); equality stays identity.
	 */
	@Override
	public int hashCode() {
		return 31 * this.id.hashCode() + Long.hashCode(this.token);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other;
	}

	@Override
	public String toString() {
		return "Lease[id=" + this.id + ", token=" + this.token + ", valid=" + isValid() + "]";
	}

	/** How the service lets a lease go. */
	@FunctionalInterface
	interface Release {

		/**
		 * Releases a lock that an owner holds: {@link LockBackend#release}'s contract.
		 */
		boolean release(String id, String owner);

		/**
		 * Whether {@link #releaseWithoutBlocking} may release {@code id} now: the engine
		 * answers without blocking, and nothing of this process waits to be handed the
		 * lock. The default is {@code false}.
		 */
		default boolean releasesWithoutBlocking(String id) {
			return false;
		}

		/**
		 * Releases as {@link #release} does, without blocking the thread; called only
		 * where {@link #releasesWithoutBlocking} says so.
		 */
		default CompletionStage<Boolean> releaseWithoutBlocking(String id, String owner) {
			throw new UnsupportedOperationException("This release blocks");
		}

		/** Hears that the lease no longer holds its lock here, however it ended. */
		default void ended(HeldLease lease) {
		}

	}

}
