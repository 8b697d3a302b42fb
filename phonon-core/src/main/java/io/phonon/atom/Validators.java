package io.phonon.atom;

import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/** The validator's rule, Clojure's: a refused value changes nothing and throws. */
final class Validators {

	private Validators() {
	}

	static <T> void check(@Nullable Predicate<? super @Nullable T> validator, @Nullable T value) {
		if (validator != null && !validator.test(value)) {
			throw new IllegalStateException("Invalid reference state: the atom's validator refused " + value);
		}
	}

}
