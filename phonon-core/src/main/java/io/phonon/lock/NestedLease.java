package io.phonon.lock;

import java.time.Duration;
import java.time.Instant;

/**
 * A re-entrant acquisition of a lock the thread already holds: it shares the outer lease
 * and its close only leaves the scope.
 */
final class NestedLease extends ScopedLease {

	private final HeldLease root;

	private volatile boolean closed;

	NestedLease(HeldLease root) {
		this.root = root;
	}

	@Override
	HeldLease root() {
		return this.root;
	}

	@Override
	boolean isClosed() {
		return this.closed;
	}

	@Override
	public String id() {
		return this.root.id();
	}

	@Override
	public long token() {
		return this.root.token();
	}

	@Override
	public boolean isValid() {
		return !this.closed && this.root.isValid();
	}

	@Override
	public Instant expiresAt() {
		return this.root.expiresAt();
	}

	@Override
	public boolean extend(Duration lease) {
		return !this.closed && this.root.extend(lease);
	}

	@Override
	public void onLost(Runnable action) {
		this.root.onLost(action);
	}

	@Override
	public boolean closeAfter(Duration delay) {
		boolean wasOpen = !this.closed;
		close();
		return wasOpen && this.root.isValid();
	}

	@Override
	public void close() {
		this.closed = true;
		LeaseScope.leave(this);
	}

	@Override
	public String toString() {
		return "NestedLease[" + this.root + "]";
	}

}
