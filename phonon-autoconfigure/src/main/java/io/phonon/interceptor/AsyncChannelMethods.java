package io.phonon.interceptor;

import java.lang.reflect.Method;

import io.phonon.annotation.AsyncChannel;
import io.phonon.channel.Channel;

/**
 * Resolves {@code @AsyncChannel} methods to their channel's capacity, checking the return
 * type.
 */
final class AsyncChannelMethods extends AnnotatedMethods<AsyncChannel, AsyncChannelMethod> {

	AsyncChannelMethods() {
		super(AsyncChannel.class);
	}

	@Override
	AsyncChannelMethod resolve(AsyncChannel annotation, Method method, Class<?> targetClass, String owner) {
		if (method.getReturnType() != Channel.class) {
			throw new IllegalStateException(owner + ": the method returns " + method.getReturnType().getSimpleName()
					+ ", but its caller gets the coroutine's channel: declare the return type Channel<T> and end"
					+ " the body with 'return Channels.self();'");
		}
		int capacity = annotation.capacity();
		if (capacity < -1) {
			throw new IllegalStateException(
					owner + ": capacity = " + capacity + " must be positive, 0 (rendezvous) or -1 (no limit)");
		}
		return new AsyncChannelMethod(targetClass.getSimpleName() + "." + method.getName(),
				(capacity == -1) ? Integer.MAX_VALUE : capacity);
	}

}
