package io.phonon.atom;

import org.jspecify.annotations.Nullable;

/**
 * Called after each successful change of an atom, on the changing thread (for a shared
 * atom changed by another process, on this process's notification thread), even when the
 * new value equals the old one.
 *
 * @param <T> the values' type
 */
@FunctionalInterface
public interface Watch<T> {

	/**
	 * Sees a change.
	 * @param key the key the watch was added under
	 * @param atom the atom
	 * @param oldValue the value before
	 * @param newValue the value after
	 */
	void changed(Object key, Atom<T> atom, @Nullable T oldValue, @Nullable T newValue);

}
