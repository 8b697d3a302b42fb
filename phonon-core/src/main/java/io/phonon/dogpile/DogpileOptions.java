package io.phonon.dogpile;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How a dogpile cache treats its values, as {@code @Dogpile}'s attributes say.
 *
 * @param expireAfter how long a value is fresh; after it, one caller regenerates it
 * @param maxStale how long past its expiry a stale value may still be served;
 * {@code null} for ever. Past it, callers wait for the new value
 * @param async whether even the regenerating caller gets the stale value, the
 * regeneration running in the background
 * @param beta XFetch's beta: above zero, a caller regenerates early with a probability
 * that grows as expiry nears and with how long the last regeneration took (1 is the
 * paper's choice)
 */
public record DogpileOptions(Duration expireAfter, @Nullable Duration maxStale, boolean async, double beta) {

	/**
	 * Checks the options.
	 * @param expireAfter positive
	 * @param maxStale zero or positive, or {@code null}
	 * @param async whether regeneration runs in the background
	 * @param beta zero or positive
	 */
	public DogpileOptions {
		Objects.requireNonNull(expireAfter, "expireAfter");
		if (expireAfter.isNegative() || expireAfter.isZero()) {
			throw new IllegalArgumentException("expireAfter must be positive, was " + expireAfter);
		}
		if (maxStale != null && maxStale.isNegative()) {
			throw new IllegalArgumentException("maxStale must be zero or positive, was " + maxStale);
		}
		if (!(beta >= 0) || Double.isInfinite(beta)) {
			throw new IllegalArgumentException(
					"beta = " + beta + " must be zero (no early regeneration) or a positive number such as 1");
		}
	}

	/**
	 * Returns options with values fresh for {@code expireAfter}, stale ones served for
	 * ever, regeneration in the caller, no early regeneration.
	 * @param expireAfter how long a value is fresh
	 * @return the options
	 */
	public static DogpileOptions expireAfter(Duration expireAfter) {
		return new DogpileOptions(expireAfter, null, false, 0);
	}

	/**
	 * Returns these options with another stale window.
	 * @param maxStale how long past expiry a stale value may be served, or {@code null}
	 * for ever
	 * @return the options
	 */
	public DogpileOptions withMaxStale(@Nullable Duration maxStale) {
		return new DogpileOptions(this.expireAfter, maxStale, this.async, this.beta);
	}

	/**
	 * Returns these options with background regeneration on or off.
	 * @param async whether the regenerating caller gets the stale value too
	 * @return the options
	 */
	public DogpileOptions withAsync(boolean async) {
		return new DogpileOptions(this.expireAfter, this.maxStale, async, this.beta);
	}

	/**
	 * Returns these options with another XFetch beta.
	 * @param beta zero (off) or positive
	 * @return the options
	 */
	public DogpileOptions withBeta(double beta) {
		return new DogpileOptions(this.expireAfter, this.maxStale, this.async, beta);
	}

}
