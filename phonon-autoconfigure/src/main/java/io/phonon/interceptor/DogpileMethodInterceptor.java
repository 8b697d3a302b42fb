package io.phonon.interceptor;

import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.phonon.annotation.Dogpile;
import io.phonon.dogpile.DogpileCache;
import io.phonon.dogpile.Dogpiles;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.ParameterizedTypeReference;

/**
 * Runs a {@code @Dogpile} method through its {@link DogpileCache}: the method is the
 * creator, and its own exceptions reach the caller that ran it unchanged.
 */
final class DogpileMethodInterceptor implements MethodInterceptor {

	private final AnnotatedMethods<Dogpile, DogpileMethod> methods;

	private final Supplier<Dogpiles> dogpiles;

	private final ConcurrentHashMap<String, DogpileCache<@Nullable Object>> caches = new ConcurrentHashMap<>();

	DogpileMethodInterceptor(AnnotatedMethods<Dogpile, DogpileMethod> methods, Supplier<Dogpiles> dogpiles) {
		this.methods = methods;
		this.dogpiles = dogpiles;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		DogpileMethod method = this.methods.get(invocation.getMethod(),
				(target != null) ? AopUtils.getTargetClass(target) : null);
		DogpileCache<@Nullable Object> cache = this.caches.get(method.name());
		if (cache == null) {
			cache = this.caches.computeIfAbsent(method.name(), (name) -> this.dogpiles.get()
				.cache(name, ParameterizedTypeReference.forType(method.type()), method.options()));
		}
		String key = method.key(invocation.getArguments());
		if (method.reactive() != null) {
			return ReactiveDogpiles.get(cache, key, () -> call(invocation, AnnotatedMethods::callAgain),
					method.reactive());
		}
		return cache.get(key, () -> call(invocation, MethodInvocation::proceed));
	}

	/** Calls the method, its checked exceptions as they are. */
	private static @Nullable Object call(MethodInvocation invocation, Proceeding proceeding) throws Exception {
		try {
			return proceeding.proceed(invocation);
		}
		catch (Exception | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new UndeclaredThrowableException(ex);
		}
	}

	/** How a call proceeds: once, or once per subscription of a reactive result. */
	@FunctionalInterface
	private interface Proceeding {

		@Nullable Object proceed(MethodInvocation invocation) throws Throwable;

	}

}
