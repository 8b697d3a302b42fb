package io.phonon.interceptor;

import java.lang.reflect.Method;

import io.phonon.annotation.Locked;
import io.phonon.annotation.OnTimeout;
import io.phonon.lock.LockOptions;

import org.springframework.beans.factory.BeanFactory;

/** Resolves {@code @Locked} methods: lock name, key, lease, wait and what a skip returns. */
final class LockedMethods extends AnnotatedMethods<Locked, LockedMethod> {

	private final BeanFactory beanFactory;

	private final AnnotationValues values;

	LockedMethods(BeanFactory beanFactory) {
		super(Locked.class);
		this.beanFactory = beanFactory;
		this.values = new AnnotationValues(beanFactory);
	}

	@Override
	LockedMethod resolve(Locked locked, Method method, Class<?> targetClass, String owner) {
		String name = locked.name().isEmpty() ? defaultName(method, targetClass) : this.values.resolve(locked.name());
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
