package io.phonon.interceptor;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

import io.phonon.annotation.Locked;
import io.phonon.annotation.OnTimeout;
import io.phonon.lock.LockOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Resolves {@code @Locked} methods once per method and target class, so that every mistake in an
 * annotation shows when its bean is created, and a call only looks its method up.
 */
final class LockedMethods {

	private final ConcurrentHashMap<MethodClassKey, LockedMethod> resolved = new ConcurrentHashMap<>();

	private final BeanFactory beanFactory;

	private final AnnotationValues values;

	LockedMethods(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
		this.values = new AnnotationValues(beanFactory);
	}

	/** Resolves every {@code @Locked} method of a bean class, failing on the first mistake. */
	void check(Class<?> targetClass) {
		ReflectionUtils.doWithMethods(targetClass, (method) -> get(method, targetClass),
				(method) -> AnnotatedElementUtils.hasAnnotation(method, Locked.class));
	}

	LockedMethod get(Method method, @Nullable Class<?> targetClass) {
		MethodClassKey key = new MethodClassKey(method, targetClass);
		LockedMethod lockedMethod = this.resolved.get(key);
		return (lockedMethod != null) ? lockedMethod
				: this.resolved.computeIfAbsent(key, (k) -> resolve(AopUtils.getMostSpecificMethod(method, targetClass),
						(targetClass != null) ? ClassUtils.getUserClass(targetClass) : method.getDeclaringClass()));
	}

	private LockedMethod resolve(Method method, Class<?> targetClass) {
		Locked locked = AnnotatedElementUtils.findMergedAnnotation(method, Locked.class);
		if (locked == null) {
			throw new IllegalStateException("No @Locked on " + method);
		}
		String owner = "@Locked on " + ClassUtils.getShortName(targetClass) + "." + method.getName() + "("
				+ String.join(", ", Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).toList())
				+ ")";
		int modifiers = method.getModifiers();
		if (Modifier.isPrivate(modifiers) || Modifier.isStatic(modifiers) || Modifier.isFinal(modifiers)) {
			throw new IllegalStateException(owner + ": a Spring proxy cannot intercept a private, static or final"
					+ " method, so it would run unlocked. Make the method public (or protected) and not static or final");
		}
		String name = locked.name().isEmpty() ? targetClass.getSimpleName() + "." + method.getName()
				: this.values.resolve(locked.name());
		KeyExpression key = locked.key().isEmpty() ? null
				: KeyExpression.parse(locked.key(), method, owner, this.beanFactory);
		LockOptions options = LockOptions.defaults().withName(name);
		if (!locked.lease().isEmpty()) {
			options = options.withLease(this.values.duration(owner, "lease", locked.lease(), true));
		}
		if (!locked.waitTime().isEmpty()) {
			options = options.withWait(this.values.duration(owner, "waitTime", locked.waitTime(), false));
		}
		return new LockedMethod(name, key, options, locked.onTimeout(),
				(locked.onTimeout() == OnTimeout.SKIP) ? SkipValues.forReturnType(method, owner) : () -> null);
	}

}
