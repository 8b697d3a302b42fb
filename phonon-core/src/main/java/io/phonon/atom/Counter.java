package io.phonon.atom;

/**
 * A shared atom holding a number ({@link Atoms#counter}): visits, quotas, sequence
 * numbers across processes.
 */
public interface Counter extends SharedAtom<Long> {

	/**
	 * Adds one.
	 * @return the new value
	 */
	long incrementAndGet();

	/**
	 * Takes one away.
	 * @return the new value
	 */
	long decrementAndGet();

	/**
	 * Adds {@code delta}.
	 * @param delta what to add, may be negative
	 * @return the new value
	 */
	long addAndGet(long delta);

}
