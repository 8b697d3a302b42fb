package io.phonon.lock;

import java.time.Duration;

/**
 * A waiting thread's place in its process's queue for a lock id, and its offer to take
 * the lock straight from a holder in this process ({@link LockBackend#handOver}). A
 * holder claims the offer while releasing, then hands the lock over or fails (the offer
 * is open again); the waiter withdraws it when it stops waiting, learning which happened.
 * The waiter parks here while it is not the one that asks the engine.
 */
final class HandOffOffer {

	private static final int OPEN = 0;

	private static final int CLAIMED = 1;

	private static final int HANDED = 2;

	private static final int WITHDRAWN = 3;

	final String owner;

	final Duration lease;

	/** Guarded by this. */
	private int state = OPEN;

	/** The next owner's token once handed over. */
	private long token;

	/** When the hand-off's engine step began: the lease runs from then. */
	private long requestedAt;

	HandOffOffer(String owner, Duration lease) {
		this.owner = owner;
		this.lease = lease;
	}

	/** Whether no holder is handing the lock over, so the waiter should go on waiting. */
	synchronized boolean isOpen() {
		return this.state == OPEN;
	}

	synchronized boolean isHanded() {
		return this.state == HANDED;
	}

	/** Claims it for one hand-off; only one holder can, and only while it is open. */
	synchronized boolean claim() {
		if (this.state != OPEN) {
			return false;
		}
		this.state = CLAIMED;
		return true;
	}

	synchronized void handed(long token, long requestedAt) {
		this.token = token;
		this.requestedAt = requestedAt;
		this.state = HANDED;
		notifyAll();
	}

	/** The hand-off did not happen: the offer is open again. */
	synchronized void failed() {
		this.state = OPEN;
		notifyAll();
	}

	/** Wakes the waiter parked here: it has become the one that asks the engine. */
	synchronized void wake() {
		notifyAll();
	}

	/**
	 * Parks the waiter until woken, handed the lock, a hand-off fails, or {@code nanos}
	 * passed.
	 */
	synchronized void park(long nanos) throws InterruptedException {
		if (this.state != HANDED && nanos > 0) {
			wait(Math.max(1, nanos / 1_000_000), 0);
		}
	}

	/**
	 * Ends the offer: if a holder claimed it, waits for the outcome of its engine step
	 * (however it is interrupted: the lock may be this waiter's).
	 * @return whether the lock was handed over ({@link #token()} then says with which
	 * token)
	 */
	synchronized boolean withdraw() {
		boolean interrupted = false;
		while (this.state == CLAIMED) {
			try {
				wait();
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
		if (this.state == OPEN) {
			this.state = WITHDRAWN;
		}
		return this.state == HANDED;
	}

	synchronized long token() {
		return this.token;
	}

	synchronized long requestedAt() {
		return this.requestedAt;
	}

}
