package io.phonon.channel;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import org.jspecify.annotations.Nullable;

/**
 * A rendezvous channel without a lock: a dual queue (Scherer and Scott, as the JDK's
 * {@code SynchronousQueue}) of parked receivers or parked senders, linked from a fixed
 * head. An operation walks the queue from the head: the first live node of the other kind
 * is its partner, which it takes with one compare-and-set on the partner's
 * {@link Waiter}; finding none, it appends its own node where the walk ended, with a
 * compare-and-set on the last node's {@code next}, so an operation appended later walks
 * past it and finds it. Decided nodes are unlinked on the way, except the last one, which
 * may be getting a successor.
 * <p>
 * The walk starts at the head, not at a tail: a select may stand in the queue as a
 * receiver and a sender at once, so the queue is not always of one kind. A walk passes
 * over parked nodes of its own kind, which costs where thousands of senders wait on one
 * channel.
 *
 * @param <T> the values' type
 */
final class RendezvousChannel<T> extends AbstractChannel<T> {

	@SuppressWarnings({ "rawtypes", "NullAway" }) // the updater's factory cannot say that
													// the field is @Nullable
	private static final AtomicReferenceFieldUpdater<RendezvousChannel, @Nullable Object> ENDING = AtomicReferenceFieldUpdater
		.newUpdater(RendezvousChannel.class, Object.class, "ending");

	/** {@link #ending} of a channel closed without an error. */
	private static final Object CLOSED = new Object();

	private final Node head = new Node(Waiter.decided(), 0, null);

	/** {@code null} while open, then {@link #CLOSED} or the error. */
	private volatile @Nullable Object ending;

	@Override
	Object exchange(@Nullable Object sending, @Nullable Node selecting, boolean queue) {
		Waiter self = (selecting != null) ? selecting.waiter : null;
		boolean receiving = sending == null;
		Object ended = this.ending;
		if (ended != null) {
			return ended(self, failure(!receiving, cause(ended)));
		}
		Node mine = selecting;
		Node pred = this.head;
		Node node = pred.next;
		for (;;) {
			if (node == null) {
				if (!queue) {
					return EMPTY;
				}
				if (mine == null) {
					mine = new Node(new Waiter(Thread.currentThread()), 0, sending);
				}
				if (pred.casNext(null, mine)) {
					return queued(mine, self);
				}
				node = pred.next;
				continue;
			}
			Node next = node.next;
			Waiter partner = node.waiter;
			if (!partner.isLive()) {
				if (next == null) {
					pred = node; // the last node stays: an append may be under way behind
									// it
				}
				else {
					pred.casNext(node, next);
				}
				node = next;
			}
			else if (node.isSender() == receiving && partner != self) {
				if (self != null && !self.claimSelf()) {
					return DECIDED;
				}
				int claim = partner.claim(self);
				if (claim == Waiter.TAKEN) {
					if (next != null) {
						pred.casNext(node, next);
					}
					partner.complete(node.clause, receiving ? SENT : sending);
					if (self != null) {
						self.releaseSelf(true);
					}
					return receiving ? Objects.requireNonNull(node.value) : SENT;
				}
				if (self != null) {
					self.releaseSelf(false);
				}
				if (claim == Waiter.YIELD) {
					Waiter.awaitSettled(partner);
				}
				// Look at the same node again: now decided, or waiting again.
			}
			else {
				pred = node;
				node = next;
			}
		}
	}

	@Override
	boolean ready(boolean sending) {
		if (this.ending != null) {
			return true;
		}
		for (Node node = this.head.next; node != null; node = node.next) {
			if (node.isSender() != sending && node.waiter.isLive()) {
				return true;
			}
		}
		return false;
	}

	@Override
	void unregister(Node node) {
		Node pred = this.head;
		for (Node current = pred.next; current != null;) {
			Node next = current.next;
			if (next != null && !current.waiter.isLive()) {
				pred.casNext(current, next);
			}
			else {
				pred = current;
			}
			current = next;
		}
	}

	@Override
	boolean isDone() {
		return this.ending != null;
	}

	@Override
	public boolean isOpen() {
		return this.ending == null;
	}

	@Override
	int spins() {
		return Waiter.rendezvousSpins();
	}

	@Override
	void finish(@Nullable Throwable cause) {
		if (!ENDING.compareAndSet(this, null, (cause != null) ? cause : CLOSED)) {
			return;
		}
		// Every node appended before the ending was set is failed here; one appended
		// after it sees the ending itself (queued).
		for (Node node = this.head.next; node != null; node = node.next) {
			if (node.waiter.claim(null) == Waiter.TAKEN) {
				node.waiter.complete(node.clause, failure(node.isSender(), cause));
			}
		}
		unregister(this.head);
	}

	@Override
	public String toString() {
		return "Channel[rendezvous]";
	}

	/**
	 * A node was appended; if the channel ended meanwhile, the close may have missed it.
	 */
	private Object queued(Node mine, @Nullable Waiter self) {
		Object ended = this.ending;
		if (ended == null) {
			return mine;
		}
		Failure failure = failure(mine.isSender(), cause(ended));
		if (self != null) {
			return ended(self, failure);
		}
		if (mine.waiter.cancel()) {
			unregister(mine);
			return failure;
		}
		return mine; // claimed by the close or a partner: its result is on the way
	}

	private static @Nullable Throwable cause(Object ending) {
		return (ending instanceof Throwable error) ? error : null;
	}

}
