package io.phonon.lock;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How to take a lock: the lease (how long it is held before it expires by itself), the
 * wait (how long to wait for a held lock), how long {@link LockService#withLock} holds it
 * at least, and the logical name used as the meters' {@code name} tag. Unset values fall
 * back to the {@link LockService}'s defaults ({@code phonon.lock.*}).
 * <p>
 * Immutable: each {@code with} method returns a copy.
 */
public final class LockOptions {

	/** The meter name of locks taken without an explicit name. */
	public static final String DEFAULT_NAME = "default";

	/**
	 * The longest lease, wait and hold accepted: 7300 days (20 years). Every engine
	 * stores such an expiry (past 2038, where a MariaDB {@code TIMESTAMP} would end), no
	 * deadline on the monotonic clock overflows, and a longer one is a mistake, such as
	 * days written for seconds.
	 */
	public static final Duration LONGEST = Duration.ofDays(7300);

	private static final LockOptions DEFAULTS = new LockOptions(DEFAULT_NAME, null, null, Duration.ZERO);

	private final String name;

	private final @Nullable Duration lease;

	private final @Nullable Duration wait;

	private final Duration holdAtLeast;

	private LockOptions(String name, @Nullable Duration lease, @Nullable Duration wait, Duration holdAtLeast) {
		this.name = name;
		this.lease = lease;
		this.wait = wait;
		this.holdAtLeast = holdAtLeast;
	}

	/**
	 * Returns options that use the service's defaults for everything.
	 * @return the default options
	 */
	public static LockOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * Returns a copy with the given logical name: the {@code name} tag of the lock
	 * meters. Use a bounded set of names (never a per-record value).
	 * @param name the logical name
	 * @return the new options
	 */
	public LockOptions withName(String name) {
		if (name.isBlank()) {
			throw new IllegalArgumentException("Lock name must not be blank");
		}
		return new LockOptions(name, this.lease, this.wait, this.holdAtLeast);
	}

	/**
	 * Returns a copy with the given lease: how long the lock is held before it expires by
	 * itself.
	 * @param lease a positive duration, at most {@link #LONGEST}
	 * @return the new options
	 */
	public LockOptions withLease(Duration lease) {
		return new LockOptions(this.name, checkLease(lease), this.wait, this.holdAtLeast);
	}

	/**
	 * Returns a copy with the given wait: how long to wait for a lock that another owner
	 * holds.
	 * @param wait zero (try once) or a positive duration, at most {@link #LONGEST}
	 * @return the new options
	 */
	public LockOptions withWait(Duration wait) {
		return new LockOptions(this.name, this.lease, checkWait(wait), this.holdAtLeast);
	}

	/**
	 * Returns a copy that makes {@link LockService#withLock} hold the lock at least this
	 * long from its acquisition, even when the action ends sooner (ShedLock's
	 * {@code lockAtLeastFor}). A job scheduled on several instances needs it when it can
	 * finish before the instances' clocks and schedulers agree on the tick: without it, a
	 * late instance finds the lock free and runs the same tick again.
	 * @param holdAtLeast zero (release when the action ends) or a positive duration, at
	 * most {@link #LONGEST}
	 * @return the new options
	 */
	public LockOptions withHoldAtLeast(Duration holdAtLeast) {
		Objects.requireNonNull(holdAtLeast, "holdAtLeast");
		if (holdAtLeast.isNegative()) {
			throw new IllegalArgumentException("Lock hold-at-least must be zero or positive, was " + holdAtLeast);
		}
		return new LockOptions(this.name, this.lease, this.wait, checkLongest("hold-at-least", holdAtLeast));
	}

	/**
	 * Returns the logical name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Returns the lease, or {@code null} for the service's default.
	 * @return the lease
	 */
	public @Nullable Duration lease() {
		return this.lease;
	}

	/**
	 * Returns the wait, or {@code null} for the service's default.
	 * @return the wait
	 */
	public @Nullable Duration waitTime() {
		return this.wait;
	}

	/**
	 * Returns how long {@link LockService#withLock} holds the lock at least; zero by
	 * default.
	 * @return the shortest hold
	 */
	public Duration holdAtLeast() {
		return this.holdAtLeast;
	}

	static Duration checkLease(Duration lease) {
		Objects.requireNonNull(lease, "lease");
		if (lease.isNegative() || lease.isZero()) {
			throw new IllegalArgumentException("Lock lease must be positive, was " + lease
					+ ": a lease is how long the lock is held before it expires by itself");
		}
		return checkLongest("lease", lease);
	}

	static Duration checkWait(Duration wait) {
		Objects.requireNonNull(wait, "wait");
		if (wait.isNegative()) {
			throw new IllegalArgumentException(
					"Lock wait must be zero or positive, was " + wait + ": zero means try once without waiting");
		}
		return checkLongest("wait", wait);
	}

	private static Duration checkLongest(String what, Duration duration) {
		if (duration.compareTo(LONGEST) > 0) {
			throw new IllegalArgumentException("Lock " + what + " must be at most " + LONGEST.toDays() + " days, was "
					+ duration + " (LockOptions.LONGEST)");
		}
		return duration;
	}

	@Override
	public String toString() {
		return "LockOptions[name=" + this.name + ", lease=" + this.lease + ", wait=" + this.wait + ", holdAtLeast="
				+ this.holdAtLeast + "]";
	}

}
