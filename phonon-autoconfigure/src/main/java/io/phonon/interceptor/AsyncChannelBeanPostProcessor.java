package io.phonon.interceptor;

import java.util.function.Supplier;

import io.phonon.annotation.AsyncChannel;
import io.phonon.channel.Coroutines;
import org.aopalliance.intercept.MethodInterceptor;

import org.springframework.beans.factory.BeanFactory;

/**
 * Proxies beans with {@link AsyncChannel} methods, and checks them when each bean is
 * created: a method that does not return {@code Channel<T>} fails the start-up.
 */
public class AsyncChannelBeanPostProcessor
		extends AnnotationAdvisingPostProcessor<AsyncChannel, AsyncChannelMethod, Coroutines> {

	/** Creates the post-processor. */
	public AsyncChannelBeanPostProcessor() {
		super(AsyncChannel.class, Coroutines.class);
	}

	@Override
	AnnotatedMethods<AsyncChannel, AsyncChannelMethod> methods(BeanFactory beanFactory) {
		return new AsyncChannelMethods();
	}

	@Override
	MethodInterceptor interceptor(AnnotatedMethods<AsyncChannel, AsyncChannelMethod> methods,
			Supplier<Coroutines> service, BeanFactory beanFactory) {
		return new AsyncChannelMethodInterceptor(methods, service);
	}

}
