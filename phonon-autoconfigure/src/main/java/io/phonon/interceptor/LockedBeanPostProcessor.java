package io.phonon.interceptor;

import java.util.function.Supplier;

import io.phonon.annotation.Locked;
import io.phonon.lock.LockService;
import org.aopalliance.intercept.MethodInterceptor;

import org.springframework.beans.factory.BeanFactory;

/**
 * Proxies beans with {@link Locked} methods, and checks their annotations when each bean
 * is created: a bad key expression or duration fails the start-up.
 */
public class LockedBeanPostProcessor extends AnnotationAdvisingPostProcessor<Locked, LockedMethod, LockService> {

	/** Creates the post-processor. */
	public LockedBeanPostProcessor() {
		super(Locked.class, LockService.class);
	}

	@Override
	AnnotatedMethods<Locked, LockedMethod> methods(BeanFactory beanFactory) {
		return new LockedMethods(beanFactory);
	}

	@Override
	MethodInterceptor interceptor(AnnotatedMethods<Locked, LockedMethod> methods, Supplier<LockService> service,
			BeanFactory beanFactory) {
		return new LockedMethodInterceptor(methods, service, beanFactory);
	}

}
