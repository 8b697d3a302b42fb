package io.phonon.backend.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Releases that run one statement at a time, each taking every release waiting then (up
 * to a batch): group commit. A release alone costs its one round trip, as before; many at
 * once (sections ending together, a shutdown) share round trips instead of taking one
 * connection each, so that they never hold every connection of the maintenance pool and
 * renewals, which share that pool, are not held up behind them. The releasing thread that
 * finds no statement running runs the next one, until its own release is done, then
 * passes the turn to the oldest release still waiting.
 */
final class GroupedReleases {

	/** The most releases one statement takes. */
	static final int BATCH = 500;

	/** A waiting release's longest sleep: what a lost wake-up costs. */
	private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private final ConcurrentLinkedQueue<Release> waiting = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean running = new AtomicBoolean();

	/** Runs one statement releasing the batch; answers, in order, which were released. */
	private final Function<List<Release>, boolean[]> statement;

	GroupedReleases(Function<List<Release>, boolean[]> statement) {
		this.statement = statement;
	}

	/**
	 * Releases the lock {@code id} (of {@code key}) held by {@code owner}, in a statement
	 * of its own or with others.
	 * @return whether it was released
	 * @throws RuntimeException what the statement that carried this release threw
	 */
	boolean release(String id, String key, String owner) {
		Release mine = new Release(id, key, owner, Thread.currentThread());
		this.waiting.add(mine);
		boolean interrupted = false;
		while (!mine.done()) {
			if (this.running.compareAndSet(false, true)) {
				try {
					while (!mine.done()) {
						runOne();
					}
				}
				finally {
					this.running.set(false);
					Release next = this.waiting.peek();
					if (next != null) {
						next.wake();
					}
				}
			}
			else {
				mine.await();
				// A release must end even when its thread is interrupted: keep the flag
				// for
				// later.
				interrupted |= Thread.interrupted();
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
		return mine.released();
	}

	private void runOne() {
		List<Release> batch = new ArrayList<>(Math.min(BATCH, 16));
		for (Release release; batch.size() < BATCH && (release = this.waiting.poll()) != null;) {
			batch.add(release);
		}
		if (batch.isEmpty()) {
			return;
		}
		boolean[] released;
		try {
			released = this.statement.apply(batch);
		}
		catch (RuntimeException ex) {
			batch.forEach((release) -> release.fail(ex));
			return;
		}
		for (int i = 0; i < batch.size(); i++) {
			batch.get(i).complete(released[i]);
		}
	}

	/** One release waiting for its statement. */
	static final class Release {

		private final String id;

		private final String key;

		private final String owner;

		private final Thread thread;

		private volatile boolean done;

		private volatile boolean released;

		private volatile @Nullable RuntimeException failure;

		private volatile boolean woken;

		Release(String id, String key, String owner, Thread thread) {
			this.id = id;
			this.key = key;
			this.owner = owner;
			this.thread = thread;
		}

		String id() {
			return this.id;
		}

		String key() {
			return this.key;
		}

		String owner() {
			return this.owner;
		}

		boolean done() {
			return this.done;
		}

		boolean released() {
			RuntimeException failure = this.failure;
			if (failure != null) {
				throw failure;
			}
			return this.released;
		}

		void complete(boolean released) {
			this.released = released;
			this.done = true;
			LockSupport.unpark(this.thread);
		}

		void fail(RuntimeException failure) {
			this.failure = failure;
			this.done = true;
			LockSupport.unpark(this.thread);
		}

		/** Asks the waiting thread to run the next statement, for no statement runs. */
		void wake() {
			this.woken = true;
			LockSupport.unpark(this.thread);
		}

		void await() {
			if (!this.done && !this.woken) {
				LockSupport.parkNanos(this, PARK_NANOS);
			}
			this.woken = false;
		}

	}

}
