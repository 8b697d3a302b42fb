package io.phonon.atom;

import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * A Clojure atom: one value, changed atomically by pure functions. {@link #swap} reads
 * the value, applies the function, checks the validator and commits if nobody changed the
 * value meanwhile, else tries again: the function may run more than once and must have no
 * side effects. Watches run after each successful change.
 * <p>
 * For a plain number or flag in one process, Java's {@code AtomicLong},
 * {@code AtomicInteger} and {@code AtomicBoolean} are the better tool; an atom is for a
 * value with rules (a validator), observers (watches), or a life across processes
 * ({@link Atoms}).
 *
 * @param <T> the values' type
 */
public interface Atom<T> {

	/**
	 * Makes an atom for this process.
	 * @param <T> the values' type
	 * @param initial the first value
	 * @return the atom
	 */
	static <T> Atom<T> of(@Nullable T initial) {
		return new LocalAtom<>(initial);
	}

	/**
	 * Returns the current value (Clojure's {@code deref}).
	 * @return the value
	 */
	@Nullable T get();

	/**
	 * Sets the value to {@code function(current)}, atomically.
	 * @param function makes the new value from the current one; free of side effects
	 * @return the new value
	 * @throws IllegalStateException if the validator refuses the new value; nothing
	 * changes
	 */
	@Nullable T swap(UnaryOperator<@Nullable T> function);

	/**
	 * As {@link #swap}, returning both values.
	 * @param function makes the new value from the current one; free of side effects
	 * @return the value before and after
	 */
	Change<T> swapVals(UnaryOperator<@Nullable T> function);

	/**
	 * Sets the value, whatever it was.
	 * @param value the new value
	 * @return the new value
	 * @throws IllegalStateException if the validator refuses it
	 */
	@Nullable T reset(@Nullable T value);

	/**
	 * As {@link #reset}, returning both values.
	 * @param value the new value
	 * @return the value before and after
	 */
	Change<T> resetVals(@Nullable T value);

	/**
	 * Sets the value to {@code newValue} if it is {@code expected}: for an atom of this
	 * process the same object (Clojure compares by identity), for a shared atom an equal
	 * value.
	 * @param expected the value it must have
	 * @param newValue the new value
	 * @return whether it was set
	 * @throws IllegalStateException if the validator refuses {@code newValue}
	 */
	boolean compareAndSet(@Nullable T expected, @Nullable T newValue);

	/**
	 * Adds (or replaces) a watch.
	 * @param key the watch's key
	 * @param watch the watch
	 */
	void addWatch(Object key, Watch<T> watch);

	/**
	 * Removes a watch.
	 * @param key the watch's key
	 */
	void removeWatch(Object key);

	/**
	 * Sets the validator every new value must pass, before every commit attempt;
	 * {@code null} removes it. The current value must pass it too.
	 * @param validator the validator, or {@code null}
	 * @throws IllegalStateException if the current value does not pass
	 */
	void setValidator(@Nullable Predicate<? super @Nullable T> validator);

	/**
	 * An atom's value before and after a change (Clojure's {@code swap-vals!} pair).
	 *
	 * @param <T> the values' type
	 * @param oldValue the value before
	 * @param newValue the value after
	 */
	record Change<T>(@Nullable T oldValue, @Nullable T newValue) {
	}

}
