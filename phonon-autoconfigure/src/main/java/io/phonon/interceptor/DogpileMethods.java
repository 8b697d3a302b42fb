package io.phonon.interceptor;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

import io.phonon.annotation.Dogpile;
import io.phonon.dogpile.DogpileOptions;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.Caching;
import org.springframework.core.KotlinDetector;
import org.springframework.core.MethodParameter;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Resolves {@code @Dogpile} methods: cache name, key, value type and options. Methods
 * that share a cache name must agree on its type and options.
 */
final class DogpileMethods extends AnnotatedMethods<Dogpile, DogpileMethod> {

	/**
	 * The default freshness, resolved like an attribute so the property's problems are
	 * named.
	 */
	private static final String DEFAULT_EXPIRE_AFTER = "${phonon.dogpile.expire-after:10m}";

	private final BeanFactory beanFactory;

	private final AnnotationValues values;

	/** The first method seen for each cache name, with what it resolved to. */
	private final ConcurrentHashMap<String, Owned> caches = new ConcurrentHashMap<>();

	DogpileMethods(BeanFactory beanFactory) {
		super(Dogpile.class);
		this.beanFactory = beanFactory;
		this.values = new AnnotationValues(beanFactory);
	}

	@Override
	DogpileMethod resolve(Dogpile dogpile, Method method, Class<?> targetClass, String owner) {
		for (Class<? extends Annotation> caching : List.of(Cacheable.class, CachePut.class, Caching.class)) {
			if (AnnotatedElementUtils.hasAnnotation(method, caching)
					|| AnnotatedElementUtils.hasAnnotation(targetClass, caching)) {
				throw new IllegalStateException(owner + ": @" + caching.getSimpleName()
						+ " caches the same method, so its"
						+ " cache would answer every regeneration and the value would never refresh. Use one of the"
						+ " two: remove @" + caching.getSimpleName() + " or @Dogpile");
			}
		}
		String name = dogpile.name().isEmpty() ? defaultName(method, targetClass) : this.values.resolve(dogpile.name());
		KeyExpression key = dogpile.key().isEmpty() ? null
				: KeyExpression.parse(dogpile.key(), method, owner, this.beanFactory);
		ReactiveAdapter reactive = reactiveAdapter(method);
		if (reactive != null && (reactive.isMultiValue() || reactive.isNoValue())) {
			throw new IllegalStateException(owner + ": a " + (reactive.isNoValue() ? "publisher of no value" : "stream")
					+ " is not one value to cache. Return a Mono (collect a Flux into a Mono<List<T>>) or, in"
					+ " Kotlin, a suspend function returning the value");
		}
		Type type = (reactive != null) ? reactiveValueType(method, targetClass, owner)
				: valueType(method, targetClass, owner);
		DogpileMethod resolved = new DogpileMethod(name, key, type, options(dogpile, owner), reactive);
		Owned first = this.caches.putIfAbsent(name, new Owned(owner, resolved));
		if (first != null && !first.owner.equals(owner) && (!first.method.type().equals(resolved.type())
				|| !first.method.options().equals(resolved.options()))) {
			throw new IllegalStateException(owner + " and " + first.owner + " share the dogpile cache '" + name
					+ "' but differ in value type or options (" + resolved.type() + ", " + resolved.options() + " vs "
					+ first.method.type() + ", " + first.method.options() + "); give each its own name");
		}
		return resolved;
	}

	private static Type valueType(Method method, Class<?> targetClass, String owner) {
		Class<?> returned = method.getReturnType();
		if (returned == void.class || returned == Void.class) {
			throw new IllegalStateException(
					owner + ": the method returns nothing, so there is nothing to cache;" + " return the value");
		}
		if (CompletionStage.class.isAssignableFrom(returned) || Future.class.isAssignableFrom(returned)) {
			throw new IllegalStateException(owner + ": a " + returned.getSimpleName() + " is not a value to cache;"
					+ " return the value itself (async = true regenerates in the background)");
		}
		if (returned.isPrimitive()) {
			return ClassUtils.resolvePrimitiveIfNecessary(returned);
		}
		return ResolvableType.forMethodReturnType(method, targetClass).getType();
	}

	/**
	 * The type of the value a {@code Mono} (or a suspend function) gives: what is cached.
	 */
	private static Type reactiveValueType(Method method, Class<?> targetClass, String owner) {
		// A suspend function's own return type; a Mono<T>'s T.
		Type value = KotlinDetector.isSuspendingFunction(method)
				? ResolvableType.forMethodParameter(new MethodParameter(method, -1)).getType()
				: ResolvableType.forMethodReturnType(method, targetClass).getGeneric(0).getType();
		if (value == Void.class || "kotlin.Unit".equals(value.getTypeName())) {
			throw new IllegalStateException(
					owner + ": the method gives no value, so there is nothing to cache; return the value");
		}
		return value;
	}

	private DogpileOptions options(Dogpile dogpile, String owner) {
		Duration expireAfter = this.values.duration(owner, "expireAfter",
				dogpile.expireAfter().isEmpty() ? DEFAULT_EXPIRE_AFTER : dogpile.expireAfter(), true);
		Duration maxStale = dogpile.maxStale().isEmpty() ? null
				: this.values.duration(owner, "maxStale", dogpile.maxStale(), false);
		try {
			return new DogpileOptions(expireAfter, maxStale, dogpile.async(), dogpile.beta());
		}
		catch (IllegalArgumentException ex) {
			// The options' own rules (beta here; durations are checked above with their
			// attribute).
			throw new IllegalStateException(owner + ": " + ex.getMessage());
		}
	}

	private record Owned(String owner, DogpileMethod method) {
	}

}
