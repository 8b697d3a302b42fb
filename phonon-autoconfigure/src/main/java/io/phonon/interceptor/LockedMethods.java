package io.phonon.interceptor;

import java.lang.reflect.Method;
import java.util.concurrent.CompletionStage;

import io.phonon.annotation.Locked;
import io.phonon.annotation.OnLeaseLost;
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
		boolean interrupt = locked.onLeaseLost() == OnLeaseLost.INTERRUPT;
		if (interrupt && CompletionStage.class.isAssignableFrom(method.getReturnType())) {
			throw new IllegalStateException(owner + ": onLeaseLost = INTERRUPT interrupts the thread running the"
					+ " method, but a method returning a CompletionStage does its work on other threads. Use"
					+ " onLeaseLost = KEEP_RUNNING and let that work register Lease.onLost");
		}
		return new LockedMethod(name, key, options, locked.onTimeout(),
				(locked.onTimeout() == OnTimeout.SKIP) ? SkipValues.forReturnType(method, owner) : () -> null,
				interrupt);
	}

}
