package io.phonon.interceptor;

import java.lang.reflect.Type;

import io.phonon.dogpile.DogpileOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ReactiveAdapter;

/**
 * A {@code @Dogpile} method, resolved and checked once: everything a call needs but the
 * key.
 *
 * @param name the cache's name
 * @param key the key expression, or {@code null} for one value per method
 * @param type the values' type, generic parameters included (a {@code Mono}'s value type)
 * @param options how the cache treats them
 * @param reactive the adapter of a method returning a {@code Mono} (or a suspend
 * function), whose value is cached; null for others
 */
record DogpileMethod(String name, @Nullable KeyExpression key, Type type, DogpileOptions options,
		@Nullable ReactiveAdapter reactive) {

	String key(@Nullable Object[] arguments) {
		return (this.key != null) ? this.key.evaluate(arguments) : "";
	}

}
