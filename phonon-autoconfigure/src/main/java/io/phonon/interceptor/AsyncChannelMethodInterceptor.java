package io.phonon.interceptor;

import java.lang.reflect.UndeclaredThrowableException;
import java.util.function.Supplier;

import io.phonon.annotation.AsyncChannel;
import io.phonon.channel.Coroutines;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.support.AopUtils;

/**
 * Runs an {@code @AsyncChannel} method's body as a coroutine, returning the caller's end
 * at once.
 */
final class AsyncChannelMethodInterceptor implements MethodInterceptor {

	private final AnnotatedMethods<AsyncChannel, AsyncChannelMethod> methods;

	private final Supplier<Coroutines> coroutines;

	AsyncChannelMethodInterceptor(AnnotatedMethods<AsyncChannel, AsyncChannelMethod> methods,
			Supplier<Coroutines> coroutines) {
		this.methods = methods;
		this.coroutines = coroutines;
	}

	@Override
	public Object invoke(MethodInvocation invocation) {
		Object target = invocation.getThis();
		AsyncChannelMethod method = this.methods.get(invocation.getMethod(),
				(target != null) ? AopUtils.getTargetClass(target) : null);
		return this.coroutines.get().go(method.name(), method.capacity(), (self) -> {
			try {
				invocation.proceed();
			}
			catch (Exception | Error ex) {
				throw ex;
			}
			catch (Throwable ex) {
				throw new UndeclaredThrowableException(ex);
			}
		});
	}

}
