package io.phonon.lock;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Renews the leases of running lock scopes once a third of each lease has run, on one daemon
 * thread per service. Registering a lease does not wake the thread unless the lease is due
 * before the thread's planned wake, so an uncontended short call costs two set operations.
 */
final class LeaseRenewer implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(LeaseRenewer.class);

	/** The longest the thread sleeps; also bounds how late a missed wake-up can make a renewal. */
	private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final Set<HeldLease> leases = ConcurrentHashMap.newKeySet();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition wake = this.lock.newCondition();

	private volatile long plannedWake = System.nanoTime();

	private volatile boolean planning;

	private volatile @Nullable Thread thread;

	private volatile boolean closed;

	void register(HeldLease lease) {
		this.leases.add(lease);
		if (this.thread == null) {
			start();
		}
		long renewAt = lease.renewAt();
		if (this.planning || renewAt - this.plannedWake < 0) {
			this.lock.lock();
			try {
				if (renewAt - this.plannedWake < 0) {
					this.wake.signal();
				}
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	void remove(HeldLease lease) {
		this.leases.remove(lease);
	}

	/** Returns the leases it renews: those held now in a {@code withLock} scope. */
	Set<HeldLease> leases() {
		return this.leases;
	}

	private void start() {
		this.lock.lock();
		try {
			if (this.thread == null && !this.closed) {
				Thread thread = new Thread(this::run, "phonon-lease-renewal");
				thread.setDaemon(true);
				thread.start();
				this.thread = thread;
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private void run() {
		while (!this.closed) {
			long now = System.nanoTime();
			for (HeldLease lease : this.leases) {
				if (lease.renewAt() - now <= 0) {
					renew(lease);
				}
			}
			this.lock.lock();
			try {
				this.planning = true;
				long next = System.nanoTime() + IDLE_NANOS;
				for (HeldLease lease : this.leases) {
					long renewAt = lease.renewAt();
					if (renewAt - next < 0) {
						next = renewAt;
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
				Thread.currentThread().interrupt();
				return;
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	private void renew(HeldLease lease) {
		try {
			if (!lease.renew()) {
				logger.warn("Lost the lease of lock '" + lease.id() + "' while it was held: it expired or was taken"
						+ " over before it could be renewed");
			}
		}
		catch (RuntimeException ex) {
			// The engine failed; retry while the lease is still valid (renew() marks it lost after).
			lease.renewalFailed();
			logger.warn("Could not renew the lease of lock '" + lease.id() + "'; will retry", ex);
		}
	}

	@Override
	public void close() {
		this.closed = true;
		Thread thread = this.thread;
		if (thread != null) {
			thread.interrupt();
		}
	}

}
