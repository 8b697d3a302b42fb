package io.phonon.backend.support;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * For {@link LockBackend} implementations: wakes this JVM's waiters for a lock when the
 * engine says it was released. A waiter registers <em>before</em> it looks at the lock,
 * so a release signalled between its look and its wait is never missed.
 * <p>
 * The engine's release notices (a subscription, a listening connection, a directory
 * watch) come from a {@link NoticeSource} started by the first waiter, so an application
 * that never waits holds no connection for it. If the source cannot start (the engine is
 * down), waiters rely on their bounded poll and a later waiter tries again: nothing fails
 * over it.
 *
 * <pre class="code">
 * try (ReleaseSignals.Registration registration = signals.register(key)) {
 *     if (stillHeld(key)) {
 *         registration.await(nanos);
 *     }
 * }
 * </pre>
 */
public final class ReleaseSignals implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ReleaseSignals.class);

	private final ConcurrentHashMap<String, Signal> signals = new ConcurrentHashMap<>();

	private final @Nullable NoticeSource source;

	private final ReentrantLock starting = new ReentrantLock();

	private volatile @Nullable AutoCloseable notices;

	/** Creates signals that only this JVM's own releases raise. */
	public ReleaseSignals() {
		this(null);
	}

	/**
	 * Creates signals raised also by the engine's release notices.
	 * @param source starts the engine's notices, for the first waiter
	 */
	public ReleaseSignals(@Nullable NoticeSource source) {
		this.source = source;
	}

	/**
	 * Registers a waiter for {@code key}.
	 * @param key the lock's key, as the engine names it in its release notices
	 * @return the registration; close it when done waiting
	 */
	public Registration register(String key) {
		startNotices();
		Signal signal = this.signals.compute(key, (k, existing) -> {
			Signal joined = (existing != null) ? existing : new Signal();
			joined.members++;
			return joined;
		});
		return new Registration(key, signal, signal.changes());
	}

	/**
	 * Wakes the waiters for {@code key}, if any.
	 * @param key the released lock's key
	 */
	public void signal(String key) {
		Signal signal = this.signals.get(key);
		if (signal != null) {
			signal.signal();
		}
	}

	/** Wakes every waiter, for when the engine cannot say which lock was released. */
	public void signalAll() {
		this.signals.values().forEach(Signal::signal);
	}

	private void startNotices() {
		NoticeSource source = this.source;
		if (source == null || this.notices != null || !this.starting.tryLock()) {
			return;
		}
		try {
			if (this.notices == null) {
				this.notices = source.start(this);
			}
		}
		catch (Exception ex) {
			logger.warn("Could not start listening for release notices; waiters poll until a later attempt"
					+ " succeeds: " + ex);
		}
		finally {
			this.starting.unlock();
		}
	}

	/**
	 * Stops the engine's notices, if they were started; a later waiter starts them again.
	 */
	@Override
	public void close() {
		this.starting.lock();
		try {
			AutoCloseable notices = this.notices;
			this.notices = null;
			if (notices != null) {
				notices.close();
			}
		}
		catch (Exception ex) {
			// Stopping the notices only stops wake-ups; nothing is lost.
		}
		finally {
			this.starting.unlock();
		}
	}

	/**
	 * Starts an engine's release notices, which call {@link #signal} for each release.
	 */
	@FunctionalInterface
	public interface NoticeSource {

		/**
		 * Starts listening.
		 * @param signals the signals to raise
		 * @return what stops the listening when closed
		 * @throws Exception if the engine cannot be listened to now
		 */
		AutoCloseable start(ReleaseSignals signals) throws Exception;

	}

	/** A waiter's registration for one key. */
	public final class Registration implements AutoCloseable {

		private final String key;

		private final Signal signal;

		private final long seen;

		private Registration(String key, Signal signal, long seen) {
			this.key = key;
			this.signal = signal;
			this.seen = seen;
		}

		/**
		 * Waits until the key is signalled after this registration, or {@code nanos} have
		 * passed.
		 * @param nanos the longest wait
		 * @throws InterruptedException if the thread is interrupted
		 */
		public void await(long nanos) throws InterruptedException {
			this.signal.awaitChange(this.seen, nanos);
		}

		@Override
		public void close() {
			ReleaseSignals.this.signals.computeIfPresent(this.key,
					(k, existing) -> (--existing.members == 0) ? null : existing);
		}

	}

	private static final class Signal {

		private final ReentrantLock lock = new ReentrantLock();

		private final Condition changed = this.lock.newCondition();

		private long changes;

		/** Guarded by the map's compute of this key. */
		private int members;

		long changes() {
			this.lock.lock();
			try {
				return this.changes;
			}
			finally {
				this.lock.unlock();
			}
		}

		void signal() {
			this.lock.lock();
			try {
				this.changes++;
				this.changed.signalAll();
			}
			finally {
				this.lock.unlock();
			}
		}

		void awaitChange(long seen, long nanos) throws InterruptedException {
			this.lock.lockInterruptibly();
			try {
				long remaining = nanos;
				while (this.changes == seen && remaining > 0) {
					remaining = this.changed.awaitNanos(remaining);
				}
			}
			finally {
				this.lock.unlock();
			}
		}

		@Override
		public String toString() {
			return "Signal[changes=" + this.changes + "]";
		}

	}

	@Override
	public String toString() {
		return "ReleaseSignals[" + this.signals.size() + " keys waited on]";
	}

}
