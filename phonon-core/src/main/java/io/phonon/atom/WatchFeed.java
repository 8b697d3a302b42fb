package io.phonon.atom;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.phonon.atom.AtomBackend.Versioned;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Feeds the watches of shared atoms, on one thread per {@link Atoms}: it reads each
 * watched atom's changes after the last version it delivered, in version order, whoever
 * made them, when the engine announces a change and, as a fallback, every poll interval
 * (ten times less often where the engine announces changes).
 */
final class WatchFeed implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(WatchFeed.class);

	private final AtomBackend backend;

	private final long pollNanos;

	private final Map<String, Follower<?>> followed = new ConcurrentHashMap<>();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition noticed = this.lock.newCondition();

	private boolean notice;

	private @Nullable AutoCloseable notices;

	private @Nullable Thread thread;

	private volatile boolean closed;

	WatchFeed(AtomBackend backend, Duration pollInterval) {
		this.backend = backend;
		this.pollNanos = pollInterval.toNanos();
	}

	/** Starts delivering an atom's changes after its current version. */
	<T> void follow(DefaultSharedAtom<T> atom) {
		if (this.followed.containsKey(atom.name())) {
			return;
		}
		Versioned current = atom.read();
		this.followed.putIfAbsent(atom.name(), new Follower<>(atom, current.version(), atom.decode(current.value())));
		startFeed();
	}

	/**
	 * Starts the feed thread and the engine's notices, unless they run or the feed is
	 * closed.
	 */
	private void startFeed() {
		this.lock.lock();
		try {
			if (this.thread == null && !this.closed) {
				this.notices = this.backend.listen((name) -> wake());
				Thread feed = new Thread(this::run, "phonon-atom-watch");
				feed.setDaemon(true);
				feed.start();
				this.thread = feed;
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private void wake() {
		this.lock.lock();
		try {
			this.notice = true;
			this.noticed.signal();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void run() {
		long wait = (this.notices != null) ? this.pollNanos * 10 : this.pollNanos;
		while (!this.closed) {
			for (Follower<?> follower : this.followed.values()) {
				try {
					follower.deliver(this.backend);
				}
				catch (RuntimeException ex) {
					logger.warn(
							"Could not read the changes of shared atom '" + follower.atom.name() + "'; will try again",
							ex);
				}
			}
			this.lock.lock();
			try {
				long left = wait;
				while (!this.notice && !this.closed && left > 0) {
					left = this.noticed.awaitNanos(left);
				}
				this.notice = false;
			}
			catch (InterruptedException ex) {
				return;
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	/** Delivers again after {@link #close()}, to the watches followed before. */
	void reopen() {
		this.lock.lock();
		try {
			this.closed = false;
			this.thread = null;
			this.notices = null;
		}
		finally {
			this.lock.unlock();
		}
		if (!this.followed.isEmpty()) {
			startFeed();
		}
	}

	@Override
	public void close() {
		this.closed = true;
		wake();
		AutoCloseable notices = this.notices;
		if (notices != null) {
			try {
				notices.close();
			}
			catch (Exception ex) {
				// Stopping notices only stops wake-ups.
			}
		}
		Thread feed = this.thread;
		if (feed != null) {
			try {
				feed.join(TimeUnit.SECONDS.toMillis(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * What one watched atom's watches have seen: the version and value last delivered.
	 */
	private static final class Follower<T> {

		final DefaultSharedAtom<T> atom;

		private long version;

		private @Nullable T value;

		Follower(DefaultSharedAtom<T> atom, long version, @Nullable T value) {
			this.atom = atom;
			this.version = version;
			this.value = value;
		}

		void deliver(AtomBackend backend) {
			for (Versioned change : backend.changesSince(this.atom.name(), this.version)) {
				T next = this.atom.decode(change.value());
				try {
					this.atom.watches().notify(this.value, next);
				}
				catch (RuntimeException ex) {
					logger.warn("A watch of shared atom '" + this.atom.name() + "' failed", ex);
				}
				this.value = next;
				this.version = change.version();
			}
		}

	}

}
