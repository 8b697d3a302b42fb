package io.phonon.channel;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * A buffered or unlimited channel: a buffer of {@code capacity} values and the queues of
 * parked receivers and senders, all under one {@link ReentrantLock} held only for a few
 * steps, never while parking, so virtual threads do not pin. A value goes straight to a
 * parked receiver when there is one; a parked sender's value moves into the buffer as
 * soon as there is room.
 *
 * @param <T> the values' type
 */
final class BufferedChannel<T> extends AbstractChannel<T> {

	/** A step met a select between its two claims, stepped back, and goes again. */
	private static final Object RETRY = new Object();

	private final ReentrantLock lock = new ReentrantLock();

	private final int capacity;

	private final ArrayDeque<Object> buffer;

	private final ArrayDeque<Node> receivers = new ArrayDeque<>();

	private final ArrayDeque<Node> senders = new ArrayDeque<>();

	private boolean closed;

	private @Nullable Throwable error;

	BufferedChannel(int capacity) {
		this.capacity = capacity;
		this.buffer = new ArrayDeque<>(Math.min(capacity, 1024));
	}

	@Override
	Object exchange(@Nullable Object sending, @Nullable Node selecting, boolean queue) {
		Waiter self = (selecting != null) ? selecting.waiter : null;
		this.lock.lock();
		try {
			Object outcome;
			do {
				outcome = (sending != null) ? give(sending, self) : take(self);
			}
			while (outcome == RETRY);
			if (outcome != EMPTY || !queue) {
				return outcome;
			}
			Node node = (selecting != null) ? selecting : new Node(new Waiter(Thread.currentThread()), 0, sending);
			((sending != null) ? this.senders : this.receivers).add(node);
			return node;
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	boolean ready(boolean sending) {
		this.lock.lock();
		try {
			if (sending) {
				return this.closed || firstLive(this.receivers, null) != null || this.buffer.size() < this.capacity;
			}
			return this.error != null || !this.buffer.isEmpty() || firstLive(this.senders, null) != null || this.closed;
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	void unregister(Node node) {
		this.lock.lock();
		try {
			((node.isSender()) ? this.senders : this.receivers).remove(node);
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	boolean isDone() {
		this.lock.lock();
		try {
			return this.closed && this.buffer.isEmpty();
		}
		finally {
			this.lock.unlock();
		}
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
	int spins() {
		// With many waiting threads, spinning only burns cores.
		return 0;
	}

	@Override
	void finish(@Nullable Throwable cause) {
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
			failAll(this.receivers, failure(false, cause));
			failAll(this.senders, failure(true, cause));
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public String toString() {
		return "Channel[" + ((this.capacity == Integer.MAX_VALUE) ? "unlimited" : "buffered " + this.capacity) + "]";
	}

	/**
	 * A receive without waiting, under the lock: from the buffer (refilled from a parked
	 * sender), or from a sender.
	 */
	private Object take(@Nullable Waiter self) {
		if (this.error != null) {
			return ended(self, failure(false, this.error));
		}
		Node sender = firstLive(this.senders, self);
		if (sender == null && this.buffer.isEmpty()) {
			return this.closed ? ended(self, failure(false, null)) : EMPTY;
		}
		if (self != null && !self.claimSelf()) {
			return DECIDED;
		}
		Object value;
		if (sender != null) {
			int claim = sender.waiter.claim(self);
			if (claim != Waiter.TAKEN) {
				return retry(self, sender, claim);
			}
			this.senders.remove(sender);
			sender.waiter.complete(sender.clause, SENT);
			// A sender's node carries its value; the buffer holds no nulls.
			Object sent = Objects.requireNonNull(sender.value);
			if (this.buffer.isEmpty()) {
				value = sent;
			}
			else {
				value = Objects.requireNonNull(this.buffer.poll());
				this.buffer.add(sent);
			}
		}
		else {
			value = Objects.requireNonNull(this.buffer.poll());
		}
		if (self != null) {
			self.releaseSelf(true);
		}
		return value;
	}

	/**
	 * A send without waiting, under the lock: to a parked receiver, else into the buffer.
	 */
	private Object give(Object value, @Nullable Waiter self) {
		if (this.closed) {
			return ended(self, failure(true, this.error));
		}
		Node receiver = firstLive(this.receivers, self);
		if (receiver == null && this.buffer.size() >= this.capacity) {
			return EMPTY;
		}
		if (self != null && !self.claimSelf()) {
			return DECIDED;
		}
		if (receiver != null) {
			int claim = receiver.waiter.claim(self);
			if (claim != Waiter.TAKEN) {
				return retry(self, receiver, claim);
			}
			this.receivers.remove(receiver);
			receiver.waiter.complete(receiver.clause, value);
		}
		else {
			this.buffer.add(value);
		}
		if (self != null) {
			self.releaseSelf(true);
		}
		return SENT;
	}

	/**
	 * The partner was gone or was itself between its claims: hand our own waiter back,
	 * then go again.
	 */
	private static Object retry(@Nullable Waiter self, Node partner, int claim) {
		if (self != null) {
			self.releaseSelf(false);
		}
		if (claim == Waiter.YIELD) {
			Waiter.awaitSettled(partner.waiter);
		}
		return RETRY;
	}

	/**
	 * The first node whose waiter is undecided and not {@code self}'s; decided nodes in
	 * front go.
	 */
	private static @Nullable Node firstLive(ArrayDeque<Node> queue, @Nullable Waiter self) {
		for (Node node; (node = queue.peek()) != null;) {
			if (!node.waiter.isLive()) {
				queue.poll();
			}
			else if (node.waiter != self) {
				return node;
			}
			else {
				// A select with a send and a receive on this channel: look past its own
				// node.
				for (Node other : queue) {
					if (other.waiter != self && other.waiter.isLive()) {
						return other;
					}
				}
				return null;
			}
		}
		return null;
	}

	private static void failAll(ArrayDeque<Node> queue, Failure failure) {
		for (Node node; (node = queue.poll()) != null;) {
			if (node.waiter.claim(null) == Waiter.TAKEN) {
				node.waiter.complete(node.clause, failure);
			}
		}
	}

}
