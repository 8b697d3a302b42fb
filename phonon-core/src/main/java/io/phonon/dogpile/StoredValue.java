package io.phonon.dogpile;

import org.jspecify.annotations.Nullable;

/**
 * A value as a {@link DogpileStore} answers it, with its age measured on the store's
 * clock.
 *
 * @param <P> what the store keeps of a value
 * @param payload the value itself (stores that keep objects) or its encoded form (shared
 * stores)
 * @param freshNanos how long the value stays fresh from now; zero or negative once it is
 * stale
 * @param computeNanos how long the regeneration that made it took (XFetch's delta)
 */
public record StoredValue<P extends @Nullable Object>(P payload, long freshNanos, long computeNanos) {

	/**
	 * Returns whether the value is still fresh.
	 * @return whether fresh
	 */
	public boolean isFresh() {
		return this.freshNanos > 0;
	}

}
