package io.phonon.interceptor;

import java.lang.reflect.Type;

import io.phonon.dogpile.DogpileOptions;
import org.jspecify.annotations.Nullable;

/**
 * A {@code @Dogpile} method, resolved and checked once: everything a call needs but the
 * key.
 *
 * @param name the cache's name
 * @param key the key expression, or {@code null} for one value per method
 * @param type the values' type, generic parameters included
 * @param options how the cache treats them
 */
record DogpileMethod(String name, @Nullable KeyExpression key, Type type, DogpileOptions options) {

	String key(@Nullable Object[] arguments) {
		return (this.key != null) ? this.key.evaluate(arguments) : "";
	}

}
