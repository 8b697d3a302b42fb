package io.phonon.atom;

/**
 * An atom shared by every process on a backend ({@link Atoms#shared}): the same
 * operations as an {@link Atom}, each a compare-and-set on the atom's version in the
 * engine, one round trip per attempt. {@link #compareAndSet} compares values by
 * {@code equals} (they travel as JSON). Watches see every change, made here or in another
 * process, in version order, on this process's watch thread (not on the changing thread,
 * as an atom of one process does).
 *
 * @param <T> the values' type
 */
public interface SharedAtom<T> extends Atom<T> {

	/**
	 * Returns the atom's name.
	 * @return the name
	 */
	String name();

}
