package io.phonon.channel;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * A thread parked in a channel operation or a select. Exactly one party decides its
 * outcome: a channel operation claims it ({@link #claim}) and then completes it, or the
 * thread itself cancels it on timeout or interrupt ({@link #cancel}). A select's waiter
 * stands in several channels at once; the first to claim it wins.
 * <p>
 * A select that finds a partner while it is still registering takes its own waiter first
 * ({@link #claimSelf}, state {@code SELECTING}) and then the partner's. Others who meet a
 * {@code SELECTING} waiter wait the few steps until it is decided or waiting again,
 * rather than dropping it. When two selects each take themselves and then meet each
 * other, the one with the greater rank steps back ({@link #YIELD}), so neither waits for
 * the other for ever.
 */
final class Waiter {

	/**
	 * How long a plain rendezvous operation on a platform thread spins before parking, as
	 * jox's do: on a few cores a little, on many more, on one not at all (the other side
	 * cannot run meanwhile). Buffered channels do not spin: there, many waiting threads
	 * would spin for nothing.
	 */
	static final int RENDEZVOUS_SPINS = spins(Runtime.getRuntime().availableProcessors());

	/** A select waits for one of several parties: it spins longer, on any thread. */
	static final int SELECT_SPINS = 32 * RENDEZVOUS_SPINS;

	/** {@code Thread.isVirtual()} on Java 21 and later; {@code null} before. */
	private static final @Nullable MethodHandle IS_VIRTUAL = isVirtual();

	/** {@link #claim}: the claimer now completes the waiter. */
	static final int TAKEN = 0;

	/** {@link #claim}: decided by someone else; the waiter's nodes are dead. */
	static final int GONE = 1;

	/**
	 * {@link #claim}: both are selects taking themselves; the claimer must step back and
	 * retry.
	 */
	static final int YIELD = 2;

	private static final int WAITING = 0;

	private static final int CLAIMED = 1;

	private static final int CANCELLED = 2;

	private static final int SELECTING = 3;

	private static final AtomicIntegerFieldUpdater<Waiter> STATE = AtomicIntegerFieldUpdater.newUpdater(Waiter.class,
			"state");

	private final Thread thread;

	/**
	 * Orders two selects that meet each other: a thread has one waiter deciding at a
	 * time.
	 */
	@SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
	private final long rank;

	private volatile int state;

	/** Written by the claimer before {@link #done}. */
	private @Nullable Object result;

	private int clause = -1;

	private volatile boolean done;

	@SuppressWarnings("deprecation")
	Waiter(Thread thread) {
		this.thread = thread;
		this.rank = thread.getId();
	}

	/** A waiter that is already decided: it stands for nobody. */
	static Waiter decided() {
		Waiter waiter = new Waiter(Thread.currentThread());
		waiter.state = CANCELLED;
		return waiter;
	}

	/**
	 * Another party takes the right to complete this waiter.
	 * @param by the claimer's own waiter when the claimer is a select that took itself
	 * ({@link #claimSelf}); {@code null} for a plain operation, which has no waiter yet
	 * @return {@link #TAKEN}, {@link #GONE} or {@link #YIELD}
	 */
	int claim(@Nullable Waiter by) {
		for (int round = 0;; round++) {
			int now = this.state;
			if (now == WAITING) {
				if (STATE.compareAndSet(this, WAITING, CLAIMED)) {
					return TAKEN;
				}
			}
			else if (now != SELECTING) {
				return GONE;
			}
			else if (by != null && by.rank > this.rank) {
				return YIELD;
			}
			else {
				pause(round);
			}
		}
	}

	/**
	 * The waiter's own select takes it, to complete it itself with a partner it found
	 * while registering. Then {@link #releaseSelf} says whether it did.
	 * @return whether it took it; {@code false} when another party decided it already
	 */
	boolean claimSelf() {
		return STATE.compareAndSet(this, WAITING, SELECTING);
	}

	/**
	 * Ends a {@link #claimSelf}: taken for good, or waiting again (the partner was gone).
	 */
	void releaseSelf(boolean taken) {
		this.state = taken ? CLAIMED : WAITING;
	}

	/**
	 * After a {@link #YIELD}: waits until {@code other} is no longer between its two
	 * claims.
	 */
	static void awaitSettled(Waiter other) {
		for (int round = 0; other.state == SELECTING; round++) {
			pause(round);
		}
	}

	/**
	 * Completes a claimed waiter: which clause won and its result, then wakes the thread.
	 */
	void complete(int clause, @Nullable Object result) {
		this.clause = clause;
		this.result = result;
		this.done = true;
		LockSupport.unpark(this.thread);
	}

	/**
	 * The thread gives up (timeout or interrupt); fails if a channel claimed it first.
	 */
	boolean cancel() {
		return STATE.compareAndSet(this, WAITING, CANCELLED);
	}

	boolean isDone() {
		return this.done;
	}

	/** Whether nobody decided yet, so its nodes still stand in the queues. */
	boolean isLive() {
		int now = this.state;
		return now == WAITING || now == SELECTING;
	}

	int clause() {
		return this.clause;
	}

	@Nullable Object result() {
		return this.result;
	}

	/**
	 * Parks until a channel completes this waiter, or until {@code deadline}
	 * ({@code nanoTime}; {@code 0} for none) or an interrupt cancels it, first spinning
	 * {@code spins} times: spinning pays where the other side is about to come, and costs
	 * where many threads wait.
	 * @return whether it was completed; {@code false} when it timed out
	 * @throws InterruptedException if interrupted before a channel claimed it
	 */
	boolean await(long deadline, int spins) throws InterruptedException {
		for (int i = 0; i < spins && !this.done; i++) {
			pause(i);
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

	/**
	 * How long a plain rendezvous operation spins: not at all on a virtual thread, whose
	 * park costs little while its spinning holds up the other virtual threads of its
	 * carrier (with a thousand pairs of them, spinning doubled the time per value).
	 */
	static int rendezvousSpins() {
		return (RENDEZVOUS_SPINS == 0 || isVirtual(Thread.currentThread())) ? 0 : RENDEZVOUS_SPINS;
	}

	private static boolean isVirtual(Thread thread) {
		try {
			return IS_VIRTUAL != null && (boolean) IS_VIRTUAL.invokeExact(thread);
		}
		catch (Throwable ex) {
			throw new IllegalStateException("Thread.isVirtual() failed", ex);
		}
	}

	private static @Nullable MethodHandle isVirtual() {
		try {
			return MethodHandles.publicLookup()
				.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
		}
		catch (NoSuchMethodException | IllegalAccessException ex) {
			return null; // Java 17: no virtual threads
		}
	}

	private static int spins(int processors) {
		return (processors == 1) ? 0 : (processors <= 4) ? 16 : 128;
	}

	/**
	 * Between a select's two claims there are a few steps only; a descheduled one gets
	 * the core.
	 */
	private static void pause(int round) {
		if ((round & 63) == 63) {
			Thread.yield();
		}
		else {
			Thread.onSpinWait();
		}
	}

	/**
	 * Claimed by a channel, which completes it at once: waits for that, ignoring
	 * interrupts.
	 */
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
