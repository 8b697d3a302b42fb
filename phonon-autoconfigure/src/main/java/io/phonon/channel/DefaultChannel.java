package io.phonon.channel;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * A channel: a buffer of {@code capacity} values (0: rendezvous; {@link Integer#MAX_VALUE}:
 * unlimited) and the queues of parked receivers and senders, all under one {@link ReentrantLock}
 * held only for a few steps, never while parking, so virtual threads do not pin. A value goes
 * straight to a parked receiver when there is one; a parked sender's value moves into the buffer
 * as soon as there is room.
 * @param <T> the values' type
 */
final class DefaultChannel<T> implements Channel<T> {

	/** What a completed waiter holds when its channel closed or failed under it. */
	static final Object CLOSED = new Object();

	/** What a poll answers when nothing is ready. */
	static final Object EMPTY = new Object();

	private static final AtomicLong ids = new AtomicLong();

	private final long id = ids.incrementAndGet();

	private final ReentrantLock lock = new ReentrantLock();

	private final int capacity;

	private final ArrayDeque<T> buffer;

	private final ArrayDeque<Node> receivers = new ArrayDeque<>();

	private final ArrayDeque<Node> senders = new ArrayDeque<>();

	private boolean closed;

	private @Nullable Throwable error;

	DefaultChannel(int capacity) {
		if (capacity < 0) {
			throw new IllegalArgumentException("A channel's capacity must be zero (rendezvous) or positive, was "
					+ capacity);
		}
		this.capacity = capacity;
		this.buffer = new ArrayDeque<>(Math.min(capacity, 1024));
	}

	@Override
	public void put(T value) throws InterruptedException {
		Objects.requireNonNull(value, "A channel carries no null values");
		Waiter waiter = null;
		Node node = null;
		this.lock.lock();
		try {
			if (offer(value)) {
				return;
			}
			waiter = new Waiter(Thread.currentThread());
			node = new Node(waiter, 0, value);
			this.senders.add(node);
		}
		finally {
			this.lock.unlock();
		}
		awaitSent(waiter, node, 0);
	}

	@Override
	public boolean tryPut(T value) {
		Objects.requireNonNull(value, "A channel carries no null values");
		this.lock.lock();
		try {
			return offer(value);
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public T get() throws InterruptedException {
		return Objects.requireNonNull(get(0));
	}

	@Override
	public @Nullable T get(Duration timeout) throws InterruptedException {
		long nanos = timeout.toNanos();
		if (nanos <= 0) {
			return tryGet();
		}
		return get(System.nanoTime() + nanos | 1);
	}

	@SuppressWarnings("unchecked")
	private @Nullable T get(long deadline) throws InterruptedException {
		Waiter waiter;
		Node node;
		this.lock.lock();
		try {
			Object polled = poll();
			if (polled != EMPTY) {
				return received(polled);
			}
			waiter = new Waiter(Thread.currentThread());
			node = new Node(waiter, 0, null);
			this.receivers.add(node);
		}
		finally {
			this.lock.unlock();
		}
		if (!waiter.await(deadline, (this.capacity == 0) ? Waiter.RENDEZVOUS_SPINS : 0)) {
			remove(this.receivers, node);
			return null;
		}
		return received(waiter.result());
	}

	@Override
	public @Nullable T tryGet() {
		this.lock.lock();
		try {
			Object polled = poll();
			return (polled != EMPTY) ? received(polled) : null;
		}
		finally {
			this.lock.unlock();
		}
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
	public boolean isOpen() {
		this.lock.lock();
		try {
			return !this.closed;
		}
		finally {
			this.lock.unlock();
		}
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
				T value = this.next;
				this.next = null;
				return value;
			}

		};
	}

	@Override
	public String toString() {
		return "Channel[" + ((this.capacity == 0) ? "rendezvous"
				: (this.capacity == Integer.MAX_VALUE) ? "unlimited" : "buffered " + this.capacity) + "]";
	}

	/** Whether the channel is closed and drained, or failed: a receiver would get nothing more. */
	boolean isDone() {
		this.lock.lock();
		try {
			return this.closed && this.buffer.isEmpty();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Orders channels, so that a select takes their locks in one global order. */
	long id() {
		return this.id;
	}

	void lock() {
		this.lock.lock();
	}

	void unlock() {
		this.lock.unlock();
	}

	/** Queues a select's receive or send clause. Under the lock. */
	void enqueue(Node node) {
		((node.value == null) ? this.receivers : this.senders).add(node);
	}

	/** Takes a decided select's node out of the queues. */
	void unregister(Node node) {
		remove((node.value == null) ? this.receivers : this.senders, node);
	}

	/**
	 * Takes a value if one is ready: from the buffer (refilled from a parked sender), or from a
	 * parked sender. Under the lock.
	 * @return the value, or {@link #EMPTY}
	 * @throws ChannelClosedException if the channel is done or failed
	 */
	@SuppressWarnings("unchecked")
	Object poll() {
		if (this.error != null) {
			throw closed("The channel failed", this.error);
		}
		T value = this.buffer.poll();
		if (value != null) {
			Node sender = claimFirst(this.senders);
			if (sender != null) {
				this.buffer.add((T) sender.value);
				sender.waiter.complete(sender.clause, null);
			}
			return value;
		}
		Node sender = claimFirst(this.senders);
		if (sender != null) {
			sender.waiter.complete(sender.clause, null);
			return Objects.requireNonNull(sender.value);
		}
		if (this.closed) {
			throw closed("The channel is closed and all its values were delivered", null);
		}
		return EMPTY;
	}

	/**
	 * Places a value without parking: to a parked receiver, else into the buffer. Under the lock.
	 * @return whether it was placed
	 * @throws ChannelClosedException if the channel is closed
	 */
	boolean offer(T value) {
		if (this.closed) {
			throw closed("The channel is closed: it takes no more values", this.error);
		}
		Node receiver = claimFirst(this.receivers);
		if (receiver != null) {
			receiver.waiter.complete(receiver.clause, value);
			return true;
		}
		if (this.buffer.size() < this.capacity) {
			this.buffer.add(value);
			return true;
		}
		return false;
	}

	private void finish(@Nullable Throwable cause) {
		this.lock.lock();
		try {
			if (this.closed) {
				return;
			}
			this.closed = true;
			this.error = cause;
			if (cause != null) {
				this.buffer.clear();
			}
			ChannelClosedException failure = closed("The channel "
					+ ((cause != null) ? "failed" : "is closed and all its values were delivered"), cause);
			for (Node receiver; (receiver = claimFirst(this.receivers)) != null;) {
				receiver.waiter.complete(receiver.clause, new Failure(failure));
			}
			ChannelClosedException refused = closed("The channel is closed: it takes no more values", cause);
			for (Node sender; (sender = claimFirst(this.senders)) != null;) {
				sender.waiter.complete(sender.clause, new Failure(refused));
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private void awaitSent(Waiter waiter, Node node, long deadline) throws InterruptedException {
		try {
			if (!waiter.await(deadline, (this.capacity == 0) ? Waiter.RENDEZVOUS_SPINS : 0)) {
				remove(this.senders, node);
			}
		}
		catch (InterruptedException ex) {
			remove(this.senders, node);
			throw ex;
		}
		if (waiter.result() instanceof Failure failure) {
			throw failure.exception;
		}
	}

	@SuppressWarnings("unchecked")
	private T received(@Nullable Object result) {
		if (result instanceof Failure failure) {
			throw failure.exception;
		}
		return (T) Objects.requireNonNull(result);
	}

	private void remove(ArrayDeque<Node> queue, Node node) {
		this.lock.lock();
		try {
			queue.remove(node);
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The first queued node whose waiter this channel could claim; undecided nodes behind it stay. */
	private static @Nullable Node claimFirst(ArrayDeque<Node> queue) {
		for (Node node; (node = queue.poll()) != null;) {
			if (node.waiter.claim()) {
				return node;
			}
		}
		return null;
	}

	private static ChannelClosedException closed(String message, @Nullable Throwable cause) {
		return new ChannelClosedException(message, cause);
	}

	/** A waiter queued in this channel for one of its clauses; {@code value} is a sender's. */
	record Node(Waiter waiter, int clause, @Nullable Object value) {
	}

	/** A waiter's result when its channel closed or failed. */
	record Failure(ChannelClosedException exception) {
	}

}
