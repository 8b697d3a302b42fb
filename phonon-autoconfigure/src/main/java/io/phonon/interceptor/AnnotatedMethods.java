package io.phonon.interceptor;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.KotlinDetector;
import org.springframework.core.MethodParameter;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Resolves the methods carrying one of Phonon's annotations once per method and target
 * class, so that every mistake in an annotation shows when its bean is created, and a
 * call only looks its method up.
 *
 * @param <A> the annotation
 * @param <M> what a method resolves to
 */
abstract class AnnotatedMethods<A extends Annotation, M> {

	private final Class<A> annotationType;

	/**
	 * Per target class, then per method: a call finds its method by identity, with no key
	 * to allocate.
	 */
	private final ClassValue<ConcurrentHashMap<Method, M>> resolvedPerClass = new ClassValue<>() {

		@Override
		protected ConcurrentHashMap<Method, M> computeValue(Class<?> type) {
			return new ConcurrentHashMap<>();
		}

	};

	/** The methods called without a target class. */
	private final ConcurrentHashMap<Method, M> resolvedWithoutClass = new ConcurrentHashMap<>();

	AnnotatedMethods(Class<A> annotationType) {
		this.annotationType = annotationType;
	}

	/** Resolves every annotated method of a bean class, failing on the first mistake. */
	final void check(Class<?> targetClass) {
		// Synthetic methods are the compiler's (such as Kotlin's static body of an open
		// suspend function, which carries its annotations): the proxy never calls them.
		ReflectionUtils.doWithMethods(targetClass, (method) -> get(method, targetClass),
				(method) -> !method.isSynthetic() && AnnotatedElementUtils.hasAnnotation(method, this.annotationType));
	}

	final M get(Method method, @Nullable Class<?> targetClass) {
		ConcurrentHashMap<Method, M> resolved = (targetClass != null) ? this.resolvedPerClass.get(targetClass)
				: this.resolvedWithoutClass;
		M annotated = resolved.get(method);
		return (annotated != null) ? annotated
				: resolved.computeIfAbsent(method, (key) -> resolve(AopUtils.getMostSpecificMethod(method, targetClass),
						(targetClass != null) ? ClassUtils.getUserClass(targetClass) : method.getDeclaringClass()));
	}

	private M resolve(Method method, Class<?> targetClass) {
		A annotation = AnnotatedElementUtils.findMergedAnnotation(method, this.annotationType);
		if (annotation == null) {
			throw new IllegalStateException("No @" + this.annotationType.getSimpleName() + " on " + method);
		}
		String owner = "@" + this.annotationType.getSimpleName() + " on " + ClassUtils.getShortName(targetClass) + "."
				+ method.getName() + "("
				+ String.join(", ", Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).toList()) + ")";
		int modifiers = method.getModifiers();
		if (Modifier.isPrivate(modifiers) || Modifier.isStatic(modifiers) || Modifier.isFinal(modifiers)) {
			throw new IllegalStateException(owner + ": a Spring proxy cannot intercept a private, static or final"
					+ " method, so the annotation would do nothing. Make the method public (or protected) and not"
					+ " static or final");
		}
		return resolve(annotation, method, targetClass, owner);
	}

	/**
	 * Resolves one annotated method.
	 * @param owner names the annotation, class and method in messages
	 * @throws IllegalStateException naming {@code owner} and the attribute, for any
	 * mistake
	 */
	abstract M resolve(A annotation, Method method, Class<?> targetClass, String owner);

	/**
	 * The adapter of a method that returns before its work is done, which runs when its
	 * result is subscribed: a reactive type, or a Kotlin {@code suspend} function (whose
	 * Spring proxy hands interceptors the coroutine as a {@code Mono}, or a {@code Flux}
	 * for a {@code Flow}).
	 * @return the adapter, or null for a method that returns its value or a
	 * {@code CompletionStage}
	 */
	static @Nullable ReactiveAdapter reactiveAdapter(Method method) {
		ReactiveAdapterRegistry registry = ReactiveAdapterRegistry.getSharedInstance();
		if (KotlinDetector.isSuspendingFunction(method)) {
			boolean flow = "kotlinx.coroutines.flow.Flow"
				.equals(new MethodParameter(method, -1).getParameterType().getName());
			return registry.getAdapter(flow ? Flux.class : Mono.class);
		}
		ReactiveAdapter adapter = registry.getAdapter(method.getReturnType());
		return (adapter != null && !CompletionStage.class.isAssignableFrom(method.getReturnType())) ? adapter : null;
	}

	/**
	 * Calls the rest of the interceptor chain and the method, as many times as the result
	 * is subscribed: each call on a clone of the invocation, which proceeds once.
	 * @return what the method returned
	 */
	static @Nullable Object callAgain(MethodInvocation invocation) throws Throwable {
		MethodInvocation call = (invocation instanceof ProxyMethodInvocation proxied) ? proxied.invocableClone()
				: invocation;
		return call.proceed();
	}

	/** The name a method's lock or cache gets when its annotation names none. */
	static String defaultName(Method method, Class<?> targetClass) {
		return targetClass.getSimpleName() + "." + method.getName();
	}

}
