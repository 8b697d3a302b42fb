package io.phonon.channel;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * A thread parked in a channel operation or a select. Exactly one party decides its outcome: a
 * channel claims it ({@link #claim}) and then completes it, or the thread itself cancels it on
 * timeout or interrupt ({@link #cancel}). A select's waiter is queued in several channels at once;
 * the first to claim it wins.
 */
final class Waiter {

	/**
	 * How long a rendezvous operation spins before parking, as jox's do: on a few cores a little,
	 * on many more, on one not at all (the other side cannot run meanwhile). Buffered channels do
	 * not spin: there, many waiting threads would spin for nothing.
	 */
	static final int RENDEZVOUS_SPINS = spins(Runtime.getRuntime().availableProcessors());

	/** A select waits for one of several parties: it spins longer. */
	static final int SELECT_SPINS = 32 * RENDEZVOUS_SPINS;

	private static final int WAITING = 0;

	private static final int CLAIMED = 1;

	private static final int CANCELLED = 2;

	private static final AtomicIntegerFieldUpdater<Waiter> STATE = AtomicIntegerFieldUpdater.newUpdater(Waiter.class,
			"state");

	private final Thread thread;

	private volatile int state;

	/** Written by the claimer before {@link #done}. */
	private @Nullable Object result;

	private int clause = -1;

	private volatile boolean done;

	Waiter(Thread thread) {
		this.thread = thread;
	}

	/** Takes the right to complete this waiter; fails if another channel or the thread has it. */
	boolean claim() {
		return this.state == WAITING && STATE.compareAndSet(this, WAITING, CLAIMED);
	}

	/** Completes a claimed waiter: which clause won and its result, then wakes the thread. */
	void complete(int clause, @Nullable Object result) {
		this.clause = clause;
		this.result = result;
		this.done = true;
		LockSupport.unpark(this.thread);
	}

	/** The thread gives up (timeout or interrupt); fails if a channel claimed it first. */
	boolean cancel() {
		return STATE.compareAndSet(this, WAITING, CANCELLED);
	}

	boolean isDone() {
		return this.done;
	}

	/** Whether nobody decided yet, so the waiter still stands in the queues. */
	boolean isWaiting() {
		return this.state == WAITING;
	}

	int clause() {
		return this.clause;
	}

	@Nullable Object result() {
		return this.result;
	}

	/**
	 * Parks until a channel completes this waiter, or until {@code deadline} ({@code nanoTime};
	 * {@code 0} for none) or an interrupt cancels it, first spinning {@code spins} times: spinning
	 * pays where the other side is about to come, and costs where many threads wait.
	 * @return whether it was completed; {@code false} when it timed out
	 * @throws InterruptedException if interrupted before a channel claimed it
	 */
	boolean await(long deadline, int spins) throws InterruptedException {
		for (int i = 0; i < spins && !this.done; i++) {
			Thread.onSpinWait();
		}
		while (!this.done) {
			if (Thread.interrupted()) {
				if (cancel()) {
					throw new InterruptedException();
				}
				awaitCompletion();
				Thread.currentThread().interrupt();
				return true;
			}
			if (deadline != 0) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					if (cancel()) {
						return false;
					}
					awaitCompletion();
					return true;
				}
				LockSupport.parkNanos(this, left);
			}
			else {
				LockSupport.park(this);
			}
		}
		return true;
	}

	private static int spins(int processors) {
		return (processors == 1) ? 0 : (processors <= 4) ? 16 : 128;
	}

	/** Claimed by a channel, which completes it at once: waits for that, ignoring interrupts. */
	private void awaitCompletion() {
		boolean interrupted = false;
		while (!this.done) {
			LockSupport.park(this);
			interrupted |= Thread.interrupted();
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

}
