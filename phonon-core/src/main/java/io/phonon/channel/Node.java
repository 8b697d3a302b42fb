package io.phonon.channel;

import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import org.jspecify.annotations.Nullable;

/**
 * A waiter queued in a channel for one of its clauses: a receiver ({@code value}
 * {@code null}) or a sender with its value. A rendezvous channel links its nodes through
 * {@link #next}; a buffered channel keeps them in its own queues.
 */
final class Node {

	@SuppressWarnings("NullAway") // the updater's factory cannot say that the field is
									// @Nullable
	private static final AtomicReferenceFieldUpdater<Node, @Nullable Node> NEXT = AtomicReferenceFieldUpdater
		.newUpdater(Node.class, Node.class, "next");

	final Waiter waiter;

	final int clause;

	final @Nullable Object value;

	/**
	 * Set from {@code null} once when a node is appended, then only moved past dead
	 * nodes.
	 */
	volatile @Nullable Node next;

	Node(Waiter waiter, int clause, @Nullable Object value) {
		this.waiter = waiter;
		this.clause = clause;
		this.value = value;
	}

	boolean isSender() {
		return this.value != null;
	}

	boolean casNext(@Nullable Node expected, Node next) {
		return NEXT.compareAndSet(this, expected, next);
	}

}
