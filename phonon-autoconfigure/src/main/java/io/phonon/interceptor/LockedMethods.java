package io.phonon.interceptor;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

import io.phonon.annotation.Locked;
import io.phonon.annotation.OnLeaseLost;
import io.phonon.annotation.OnTimeout;
import io.phonon.lock.LockOptions;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.ReactiveAdapter;

/**
 * Resolves {@code @Locked} methods: lock name, key, lease, wait and what a skip returns.
 */
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
		options = with(options, LockOptions::withLease, owner, "lease", locked.lease(), true);
		options = with(options, LockOptions::withWait, owner, "waitTime", locked.waitTime(), false);
		options = with(options, LockOptions::withHoldAtLeast, owner, "holdAtLeast", locked.holdAtLeast(), false);
		boolean interrupt = locked.onLeaseLost() == OnLeaseLost.INTERRUPT;
		if (interrupt && CompletionStage.class.isAssignableFrom(method.getReturnType())) {
			throw new IllegalStateException(owner + ": onLeaseLost = INTERRUPT interrupts the thread running the"
					+ " method, but a method returning a CompletionStage does its work on other threads. Use"
					+ " onLeaseLost = KEEP_RUNNING and let that work register Lease.onLost");
		}
		ReactiveAdapter reactive = reactiveAdapter(method);
		// A skipped reactive section completes empty.
		boolean skipValue = locked.onTimeout() == OnTimeout.SKIP && reactive == null;
		return new LockedMethod(name, key, options, locked.onTimeout(),
				skipValue ? SkipValues.forReturnType(method, owner) : () -> null, interrupt, reactive);
	}

	/**
	 * Sets a duration attribute, if given, held to the lock options' own rules (such as
	 * the longest lease).
	 */
	private LockOptions with(LockOptions options, BiFunction<LockOptions, Duration, LockOptions> setter, String owner,
			String attribute, String value, boolean positive) {
		if (value.isEmpty()) {
			return options;
		}
		try {
			return setter.apply(options, this.values.duration(owner, attribute, value, positive));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(owner + ": " + attribute + " = \"" + value + "\": " + ex.getMessage(), ex);
		}
	}

}
