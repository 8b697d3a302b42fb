package io.phonon.interceptor;

import java.util.function.Supplier;

import io.phonon.annotation.Dogpile;
import io.phonon.dogpile.Dogpiles;
import org.aopalliance.intercept.MethodInterceptor;

import org.springframework.beans.factory.BeanFactory;

/**
 * Proxies beans with {@link Dogpile} methods, and checks their annotations when each bean
 * is created: a bad key expression, duration or return type fails the start-up.
 */
public class DogpileBeanPostProcessor extends AnnotationAdvisingPostProcessor<Dogpile, DogpileMethod, Dogpiles> {

	/** Creates the post-processor. */
	public DogpileBeanPostProcessor() {
		super(Dogpile.class, Dogpiles.class);
	}

	@Override
	AnnotatedMethods<Dogpile, DogpileMethod> methods(BeanFactory beanFactory) {
		return new DogpileMethods(beanFactory);
	}

	@Override
	MethodInterceptor interceptor(AnnotatedMethods<Dogpile, DogpileMethod> methods, Supplier<Dogpiles> service,
			BeanFactory beanFactory) {
		return new DogpileMethodInterceptor(methods, service);
	}

}
