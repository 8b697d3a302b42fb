package io.phonon.lock;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.phonon.PhononThreads;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Renews the leases of running lock scopes once a third of each lease has run. One daemon
 * thread per service plans, waking when the first lease is due; the leases due then, or,
 * on an engine that renews in batches, within a sixth of their lease after (renewing them
 * a little early spares a wake and a round trip), go to the engine together, in batches
 * of at most {@link #BATCH} ({@link LockBackend#renewAll}), which run concurrently on a
 * small pool of Phonon's own, so one slow batch does not hold up the others, and a
 * renewal that has not answered when its lease runs out counts the lease as lost there
 * and then. Registering a lease does not wake the planner unless the lease is due before
 * its planned wake, so an uncontended short call costs two set operations.
 */
final class LeaseRenewer implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(LeaseRenewer.class);

	/**
	 * The longest the planner sleeps; also bounds how late a missed wake-up can make a
	 * renewal.
	 */
	private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

	/** How many batches of renewals may be waiting for the engine at once. */
	private static final int RENEWAL_THREADS = 8;

	/** The most leases renewed in one engine step. */
	static final int BATCH = 500;

	private final LockBackend backend;

	/** The engine's batch size, at most {@link #BATCH}. */
	private final int batchSize;

	/** Whether leases due a little later join a batch early: only where batches exist. */
	private final boolean renewsEarly;

	private final Set<HeldLease> leases = ConcurrentHashMap.newKeySet();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition wake = this.lock.newCondition();

	private final Condition drained = this.lock.newCondition();

	private volatile long plannedWake = System.nanoTime();

	private volatile boolean planning;

	/**
	 * Whether someone waits in {@link #awaitDrained}, so that {@link #remove} signals.
	 */
	private volatile boolean draining;

	/** The planner thread; a planner that finds another one here ends. */
	private volatile @Nullable Thread thread;

	private @Nullable ThreadPoolExecutor renewals;

	private volatile boolean closed;

	LeaseRenewer(LockBackend backend) {
		this.backend = backend;
		this.batchSize = Math.max(1, Math.min(BATCH, backend.renewalBatchSize()));
		this.renewsEarly = this.batchSize > 1;
	}

	void register(HeldLease lease) {
		this.leases.add(lease);
		if (this.thread == null) {
			start();
		}
		wakeFor(lease.renewAt());
	}

	/** Wakes the planner if it planned to sleep past {@code at}. */
	private void wakeFor(long at) {
		if (this.planning || at - this.plannedWake < 0) {
			this.lock.lock();
			try {
				if (at - this.plannedWake < 0) {
					this.wake.signal();
				}
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	void remove(HeldLease lease) {
		if (this.leases.remove(lease) && this.draining && this.leases.isEmpty()) {
			this.lock.lock();
			try {
				this.drained.signalAll();
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	/** Returns the leases it renews: those held now in a {@code withLock} scope. */
	Set<HeldLease> leases() {
		return this.leases;
	}

	/**
	 * Waits until no lease is left to renew (every scope ended) or the deadline passes;
	 * renewals go on meanwhile.
	 * @return whether every scope ended
	 */
	boolean awaitDrained(long deadline) {
		this.lock.lock();
		try {
			this.draining = true;
			long left;
			while (!this.leases.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
				this.drained.awaitNanos(left);
			}
			return this.leases.isEmpty();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return this.leases.isEmpty();
		}
		finally {
			this.draining = false;
			this.lock.unlock();
		}
	}

	private void start() {
		this.lock.lock();
		try {
			if (this.thread == null && !this.closed) {
				this.renewals = PhononThreads.pool("phonon-lease-renewal", RENEWAL_THREADS);
				Thread thread = new Thread(this::run, "phonon-lease-planner");
				thread.setDaemon(true);
				this.thread = thread;
				thread.start();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private void run() {
		ThreadPoolExecutor renewals = this.renewals;
		while (this.thread == Thread.currentThread() && renewals != null) {
			long now = System.nanoTime();
			List<HeldLease> batch = null; // most wakes find nothing due
			for (HeldLease lease : this.leases) {
				if (lease.isRenewing()) {
					if (now - lease.validUntil() >= 0) {
						logger.warn("Lost the lease of lock '" + lease.id() + "' while it was held: its renewal did not"
								+ " answer before the lease ran out");
						lease.markLost();
					}
				}
				else if (lease.renewAt() - now <= (this.renewsEarly ? lease.renewalSlack() : 0)
						&& lease.beginRenewal()) {
					if (batch == null) {
						batch = new ArrayList<>();
					}
					batch.add(lease);
					if (batch.size() == this.batchSize) {
						submit(renewals, batch);
						batch = null;
					}
				}
			}
			if (batch != null) {
				submit(renewals, batch);
			}
			this.lock.lock();
			try {
				this.planning = true;
				long next = System.nanoTime() + IDLE_NANOS;
				for (HeldLease lease : this.leases) {
					long due = lease.isRenewing() ? lease.validUntil() : lease.renewAt();
					if (due - next < 0) {
						next = due;
					}
				}
				this.plannedWake = next;
				this.planning = false;
				long delay = next - System.nanoTime();
				if (delay > 0) {
					this.wake.awaitNanos(delay);
				}
			}
			catch (InterruptedException ex) {
				return;
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	private void submit(ThreadPoolExecutor renewals, List<HeldLease> batch) {
		try {
			renewals.execute(() -> renew(batch));
		}
		catch (RejectedExecutionException ex) {
			batch.forEach(HeldLease::endRenewal); // closed meanwhile: this planner ends
		}
	}

	private void renew(List<HeldLease> batch) {
		long requestedAt = System.nanoTime();
		List<HeldLease> leases = new ArrayList<>(batch.size());
		List<LockBackend.Renewal> renewals = new ArrayList<>(batch.size());
		for (HeldLease lease : batch) {
			LockBackend.Renewal renewal = lease.renewal(requestedAt);
			if (renewal != null) {
				leases.add(lease);
				renewals.add(renewal);
			}
		}
		try {
			if (!renewals.isEmpty()) {
				boolean[] renewed = this.backend.renewAll(renewals);
				for (int i = 0; i < renewed.length; i++) {
					HeldLease lease = leases.get(i);
					if (!lease.renewed(requestedAt, renewals.get(i).lease().toNanos(), renewed[i])
							&& !lease.isClosed()) {
						logger.warn("Lost the lease of lock '" + lease.id() + "' while it was held: it expired or was"
								+ " taken over before it could be renewed");
					}
				}
			}
		}
		catch (RuntimeException ex) {
			// The engine failed; retry while the leases are still valid (the planner
			// marks them lost after).
			leases.forEach(HeldLease::renewalFailed);
			logger.warn("Could not renew the leases of " + leases.size() + " lock(s), such as '" + leases.get(0).id()
					+ "'; will retry", ex);
		}
		finally {
			long next = Long.MAX_VALUE;
			for (HeldLease lease : batch) {
				lease.endRenewal();
				next = (next == Long.MAX_VALUE || lease.renewAt() - next < 0) ? lease.renewAt() : next;
			}
			wakeFor(next);
		}
	}

	/**
	 * Ends the threads; leases registered later start them again once {@link #reopen()}
	 * was called.
	 */
	@Override
	public void close() {
		this.lock.lock();
		try {
			this.closed = true;
			Thread thread = this.thread;
			this.thread = null;
			if (thread != null) {
				thread.interrupt();
			}
			if (this.renewals != null) {
				// Renewals under way end normally: interrupting one would fail its engine
				// call.
				this.renewals.shutdown();
				this.renewals = null;
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	void reopen() {
		this.closed = false;
	}

}
