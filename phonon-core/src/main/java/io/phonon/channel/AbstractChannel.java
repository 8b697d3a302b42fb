package io.phonon.channel;

import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * What every channel kind shares: the blocking calls, iteration and clauses, all built on
 * one step, {@link #exchange}, that each kind implements ({@link BufferedChannel} under a
 * lock, {@link RendezvousChannel} without one). {@link Select} works through the same
 * step.
 *
 * @param <T> the values' type
 */
abstract sealed class AbstractChannel<T> implements Channel<T> permits BufferedChannel, RendezvousChannel {

	/**
	 * {@link #exchange}: nothing ready (a receive found no value, a send no room or
	 * receiver).
	 */
	static final Object EMPTY = new Object();

	/** {@link #exchange}: a send completed. */
	static final Object SENT = new Object();

	/** {@link #exchange}: the select's waiter was decided by another party meanwhile. */
	static final Object DECIDED = new Object();

	/**
	 * A channel of {@code capacity}: 0 rendezvous, {@link Integer#MAX_VALUE} unlimited.
	 * @param <T> the values' type
	 * @param capacity the room
	 * @return the channel
	 */
	static <T> AbstractChannel<T> of(int capacity) {
		if (capacity < 0) {
			throw new IllegalArgumentException(
					"A channel's capacity must be zero (rendezvous) or positive, was " + capacity);
		}
		return (capacity == 0) ? new RendezvousChannel<>() : new BufferedChannel<>(capacity);
	}

	/**
	 * One receive ({@code sending} {@code null}) or send of {@code sending}: completed
	 * with a partner or the buffer if that needs no waiting, else queued if
	 * {@code queue}.
	 * @param sending the value to send, or {@code null} to receive
	 * @param selecting a select's node, when a select registers this clause: its waiter
	 * stands in other channels already, so the step takes it ({@link Waiter#claimSelf})
	 * before completing, and queues this node; {@code null} for a plain operation, which
	 * queues a node of its own
	 * @param queue whether to queue a node when nothing is ready
	 * @return the value received, {@link #SENT}, a {@link Failure} when the channel is
	 * done or closed, {@link #EMPTY} when nothing was ready and nothing queued, the
	 * queued node, or {@link #DECIDED} when the select's waiter was decided by another
	 * party
	 */
	abstract Object exchange(@Nullable Object sending, @Nullable Node selecting, boolean queue);

	/**
	 * Whether a receive ({@code sending} false) or a send would complete without waiting
	 * now, counting a done or closed channel as ready: a hint, which may change at once.
	 */
	abstract boolean ready(boolean sending);

	/** Takes a node whose waiter was decided (or gave up) out of the queues. */
	abstract void unregister(Node node);

	/**
	 * Whether the channel is closed and drained, or failed: a receiver would get nothing
	 * more.
	 */
	abstract boolean isDone();

	/** How long a parked operation spins before parking. */
	abstract int spins();

	/** Closes ({@code cause} {@code null}) or fails the channel. */
	abstract void finish(@Nullable Throwable cause);

	@Override
	public void put(T value) throws InterruptedException {
		Object outcome = exchange(Objects.requireNonNull(value, "A channel carries no null values"), null, true);
		if (outcome instanceof Node node) {
			outcome = await(node, 0);
		}
		if (outcome instanceof Failure failure) {
			throw failure.exception();
		}
	}

	@Override
	public boolean tryPut(T value) {
		Object outcome = exchange(Objects.requireNonNull(value, "A channel carries no null values"), null, false);
		if (outcome instanceof Failure failure) {
			throw failure.exception();
		}
		return outcome == SENT;
	}

	@Override
	public T get() throws InterruptedException {
		return Objects.requireNonNull(receive(0));
	}

	@Override
	public @Nullable T get(Duration timeout) throws InterruptedException {
		long nanos = timeout.toNanos();
		if (nanos <= 0) {
			return tryGet();
		}
		return receive(System.nanoTime() + nanos | 1);
	}

	@Override
	public @Nullable T tryGet() {
		return received(exchange(null, null, false));
	}

	@Override
	public void close() {
		finish(null);
	}

	@Override
	public void error(Throwable cause) {
		finish(Objects.requireNonNull(cause, "cause"));
	}

	@Override
	public <R> SelectClause<R> onReceive(Function<? super T, ? extends R> then) {
		return new ReceiveClause<>(this, then);
	}

	@Override
	public <R> SelectClause<R> onSend(T value, Supplier<? extends R> then) {
		return new SendClause<>(this, Objects.requireNonNull(value, "A channel carries no null values"), then);
	}

	@Override
	public Iterator<T> iterator() {
		return new Iterator<>() {

			private @Nullable T next;

			private boolean finished;

			@Override
			public boolean hasNext() {
				if (this.next == null && !this.finished) {
					try {
						this.next = get();
					}
					catch (ChannelClosedException ex) {
						if (ex.isError()) {
							throw ex;
						}
						this.finished = true;
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						throw new ChannelClosedException("Interrupted while waiting for the channel's next value", ex);
					}
				}
				return this.next != null;
			}

			@Override
			public T next() {
				if (!hasNext()) {
					throw new NoSuchElementException("The channel is closed and drained");
				}
				T value = Objects.requireNonNull(this.next);
				this.next = null;
				return value;
			}

		};
	}

	private @Nullable T receive(long deadline) throws InterruptedException {
		Object outcome = exchange(null, null, true);
		return received((outcome instanceof Node node) ? await(node, deadline) : outcome);
	}

	/** Waits for a plain operation's queued node; {@link #EMPTY} when it timed out. */
	private Object await(Node node, long deadline) throws InterruptedException {
		boolean completed;
		try {
			completed = node.waiter.await(deadline, spins());
		}
		catch (InterruptedException ex) {
			unregister(node);
			throw ex;
		}
		if (!completed) {
			unregister(node);
			return EMPTY;
		}
		return Objects.requireNonNull(node.waiter.result());
	}

	@SuppressWarnings("unchecked")
	private @Nullable T received(Object outcome) {
		if (outcome instanceof Failure failure) {
			throw failure.exception();
		}
		return (outcome != EMPTY) ? (T) outcome : null;
	}

	/**
	 * The failure a receive ({@code sending} false) or a send meets on a closed or failed
	 * channel.
	 */
	static Failure failure(boolean sending, @Nullable Throwable cause) {
		String message = (cause != null) ? "The channel failed"
				: sending ? "The channel is closed: it takes no more values"
						: "The channel is closed and all its values were delivered";
		return new Failure(new ChannelClosedException(message, cause));
	}

	/**
	 * A select's clause meets a closed channel: the select ends with the failure, if
	 * still its own.
	 */
	static Object ended(@Nullable Waiter self, Failure failure) {
		if (self == null) {
			return failure;
		}
		if (!self.claimSelf()) {
			return DECIDED;
		}
		self.releaseSelf(true);
		return failure;
	}

	/** A step's result when its channel is done or closed. */
	record Failure(ChannelClosedException exception) {
	}

}
