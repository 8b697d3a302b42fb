package io.phonon.lock;

/**
 * A lease as the calling thread's scope sees it: the lease that holds the lock in the
 * engine ({@link HeldLease}) or a re-entrant view of one ({@link NestedLease}).
 */
abstract sealed class ScopedLease implements Lease permits HeldLease, NestedLease {

	abstract boolean isClosed();

	/** Returns the lease that holds the lock in the engine. */
	abstract HeldLease root();

}
