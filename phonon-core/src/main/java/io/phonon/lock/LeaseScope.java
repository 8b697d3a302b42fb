package io.phonon.lock;

import java.util.ArrayDeque;
import java.util.Iterator;

import org.jspecify.annotations.Nullable;

/**
 * The lock scopes running on each thread, innermost first: what makes locks re-entrant
 * per holder and answers {@link Lease#current()}. A scope is entered and left by one
 * stack frame ({@code withLock}), so a pooled thread never inherits a scope from an
 * earlier task. Only this JVM knows scopes; the engine sees owner tokens.
 */
final class LeaseScope {

	private static final ThreadLocal<ArrayDeque<ScopedLease>> LEASES = ThreadLocal.withInitial(ArrayDeque::new);

	private LeaseScope() {
	}

	/**
	 * Returns the valid lease of {@code id} on {@code backend} that this thread holds
	 * re-entrantly, if any.
	 */
	static @Nullable HeldLease holding(LockBackend backend, String id) {
		ArrayDeque<ScopedLease> leases = LEASES.get();
		if (leases.isEmpty()) {
			return null;
		}
		for (Iterator<ScopedLease> it = leases.iterator(); it.hasNext();) {
			ScopedLease lease = it.next();
			if (lease.isClosed()) {
				it.remove();
			}
			else if (lease.root().joins(backend, id)) {
				return lease.root();
			}
		}
		return null;
	}

	static @Nullable Lease current() {
		ArrayDeque<ScopedLease> leases = LEASES.get();
		ScopedLease top;
		while ((top = leases.peekFirst()) != null && top.isClosed()) {
			leases.pollFirst();
		}
		return top;
	}

	static void enter(ScopedLease lease) {
		LEASES.get().addFirst(lease);
	}

	static void leave(ScopedLease lease) {
		LEASES.get().removeFirstOccurrence(lease);
	}

}
