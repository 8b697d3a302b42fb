package io.phonon.atom;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * An atom of this process: a compare-and-set loop on an {@link AtomicReference},
 * Clojure's. The validator and watches are read once per call, and cost nothing when
 * there are none.
 *
 * @param <T> the values' type
 */
final class LocalAtom<T> implements Atom<T> {

	private final AtomicReference<@Nullable T> value;

	private final Watches<T> watches = new Watches<>(this);

	private volatile @Nullable Predicate<? super @Nullable T> validator;

	LocalAtom(@Nullable T initial) {
		this.value = new AtomicReference<>(initial);
	}

	@Override
	public @Nullable T get() {
		return this.value.get();
	}

	@Override
	public @Nullable T swap(UnaryOperator<@Nullable T> function) {
		return swapVals(function).newValue();
	}

	@Override
	public Change<T> swapVals(UnaryOperator<@Nullable T> function) {
		Predicate<? super @Nullable T> validator = this.validator;
		while (true) {
			T current = this.value.get();
			T next = function.apply(current);
			Validators.check(validator, next);
			if (this.value.compareAndSet(current, next)) {
				this.watches.notify(current, next);
				return new Change<>(current, next);
			}
		}
	}

	@Override
	public @Nullable T reset(@Nullable T newValue) {
		return resetVals(newValue).newValue();
	}

	@Override
	public Change<T> resetVals(@Nullable T newValue) {
		Validators.check(this.validator, newValue);
		T old = this.value.getAndSet(newValue);
		this.watches.notify(old, newValue);
		return new Change<>(old, newValue);
	}

	@Override
	public boolean compareAndSet(@Nullable T expected, @Nullable T newValue) {
		Validators.check(this.validator, newValue);
		if (!this.value.compareAndSet(expected, newValue)) {
			return false;
		}
		this.watches.notify(expected, newValue);
		return true;
	}

	@Override
	public void addWatch(Object key, Watch<T> watch) {
		this.watches.add(key, watch);
	}

	@Override
	public void removeWatch(Object key) {
		this.watches.remove(key);
	}

	@Override
	public void setValidator(@Nullable Predicate<? super @Nullable T> validator) {
		Validators.check(validator, this.value.get());
		this.validator = validator;
	}

	@Override
	public String toString() {
		return "Atom[" + this.value.get() + "]";
	}

}
