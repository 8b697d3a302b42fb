package io.phonon.lock;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A held lock. Closing it releases the lock; a lease also ends by itself when it expires.
 * <p>
 * Validity is judged conservatively on this machine's monotonic clock, counted from
 * before the request that acquired or last extended the lease was sent, so
 * {@link #isValid()} never reports a lease that the engine may already consider expired.
 */
public interface Lease extends AutoCloseable {

	/**
	 * Returns the lease of the innermost lock scope running on the calling thread: that
	 * of the running {@code @Locked} method or {@link LockService#withLock} action.
	 * @return the current lease, or empty outside any lock scope
	 */
	static Optional<Lease> current() {
		return Optional.ofNullable(LeaseScope.current());
	}

	/**
	 * Returns the lock's id.
	 * @return the id
	 */
	String id();

	/**
	 * Returns the fencing token: strictly greater than the token of every earlier
	 * acquisition of this id. Pass it to the resource you protect and have it reject
	 * writes carrying an older token than one it has seen.
	 * @return the fencing token
	 */
	long token();

	/**
	 * Returns whether the lease is still held: not closed, not lost, and not expired.
	 * @return whether the lease is valid
	 */
	boolean isValid();

	/**
	 * Returns when the lease expires unless it is extended or renewed, as a wall-clock
	 * instant.
	 * @return the expiry
	 */
	Instant expiresAt();

	/**
	 * Makes the lease expire {@code lease} from now, if it is still held by this owner.
	 * @param lease the new time to live, positive
	 * @return {@code true} if extended; {@code false} if the lease was lost (it is then
	 * invalid)
	 */
	boolean extend(Duration lease);

	/**
	 * Runs {@code action} once if this lease is lost while held: the engine refused a
	 * renewal (the lease expired or was taken over), a renewal did not answer before the
	 * lease ran out, or the application stopped and its grace period
	 * ({@code phonon.shutdown.grace-period}) ended before the work did. A lease lost
	 * already runs it at once; a lease closed normally never does. The action runs on one
	 * of Phonon's maintenance threads, so keep it short: set a flag, interrupt a thread,
	 * cancel a future. From the moment it is lost, {@link #isValid()} is {@code false}
	 * and another owner may hold the lock: stop writing, or fence your writes with
	 * {@link #token()}.
	 * @param action what to run when the lease is lost
	 */
	void onLost(Runnable action);

	/**
	 * Releases the lock {@code delay} from now instead of at once (ShedLock's "lock at
	 * least for"): the lease is set to expire then and this instance lets go of it now,
	 * as if closed; the engine frees the lock when the lease expires. A zero or negative
	 * delay closes at once. A lease acquired re-entrantly only leaves its scope; the
	 * outermost one decides.
	 * @param delay how long the lock stays held
	 * @return {@code true} if the lock is held until then; {@code false} if the lease was
	 * already closed or lost
	 */
	boolean closeAfter(Duration delay);

	/**
	 * Releases the lock. Closing twice has no further effect. A lease acquired
	 * re-entrantly only leaves its scope; the outermost one releases.
	 */
	@Override
	void close();

}
