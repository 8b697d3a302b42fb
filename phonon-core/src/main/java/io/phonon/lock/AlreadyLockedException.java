package io.phonon.lock;

import java.io.Serial;
import java.time.Duration;

/**
 * Thrown when a lock is held by another owner and did not become free within the wait.
 */
public class AlreadyLockedException extends RuntimeException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final String lockId;

	private final Duration waited;

	/**
	 * Creates an exception for a lock that could not be had.
	 * @param lockId the lock's id
	 * @param waited how long the caller waited
	 */
	public AlreadyLockedException(String lockId, Duration waited) {
		super("Lock '" + abbreviate(lockId) + "' is held by another owner; gave up after waiting " + waited
				+ ". Raise the wait (@Locked(waitTime = ...), LockOptions.withWait or phonon.lock.wait)"
				+ " or skip the call instead (@Locked(onTimeout = OnTimeout.SKIP))");
		this.lockId = lockId;
		this.waited = waited;
	}

	/**
	 * Returns the id of the lock that could not be had.
	 * @return the lock id
	 */
	public String getLockId() {
		return this.lockId;
	}

	/**
	 * Returns how long the caller waited before giving up.
	 * @return the wait
	 */
	public Duration getWaited() {
		return this.waited;
	}

	private static String abbreviate(String id) {
		return (id.length() <= 200) ? id : id.substring(0, 200) + "... (" + id.length() + " chars)";
	}

}
