package io.phonon.interceptor;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import org.springframework.core.CollectionFactory;

/**
 * What a skipped method returns, by its return type: nothing, said in the type's own way.
 */
final class SkipValues {

	private SkipValues() {
	}

	/**
	 * Returns the supplier of the skipped call's result.
	 * @throws IllegalStateException for a primitive return type, which has no way to say
	 * "skipped"
	 */
	static Supplier<@Nullable Object> forReturnType(Method method, String owner) {
		Class<?> type = method.getReturnType();
		if (type == void.class || type == Void.class) {
			return () -> null;
		}
		if (type.isPrimitive()) {
			throw new IllegalStateException(owner + ": onTimeout = SKIP needs a return type that can say the call"
					+ " was skipped, but the method returns " + type + ". Return void, a wrapper type, Optional or a"
					+ " collection, or use onTimeout = THROW");
		}
		if (type == Optional.class) {
			return Optional::empty;
		}
		if (type.isAssignableFrom(CompletableFuture.class) && CompletionStage.class.isAssignableFrom(type)) {
			return () -> CompletableFuture.completedFuture(null);
		}
		if (type == Stream.class) {
			return Stream::empty;
		}
		if (type.isArray()) {
			Object empty = Array.newInstance(type.getComponentType(), 0);
			return () -> empty;
		}
		if (type == List.class || type == Collection.class || type == Iterable.class) {
			return List::of;
		}
		if (type == Set.class) {
			return Set::of;
		}
		if (type == Map.class) {
			return Map::of;
		}
		if (Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type)) {
			Supplier<@Nullable Object> empty = Collection.class.isAssignableFrom(type)
					? () -> CollectionFactory.createCollection(type, 0) : () -> CollectionFactory.createMap(type, 0);
			try {
				empty.get();
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException(owner + ": onTimeout = SKIP cannot make an empty " + type.getName()
						+ "; return a List, Set, Map or Collection instead", ex);
			}
			return empty;
		}
		return () -> null;
	}

}
