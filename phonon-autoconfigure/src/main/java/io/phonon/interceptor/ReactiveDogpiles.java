package io.phonon.interceptor;

import java.util.concurrent.Callable;

import io.phonon.dogpile.DogpileCache;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.ReactiveAdapter;

/**
 * {@code @Dogpile} on a method returning a {@code Mono} (or a suspend function): each
 * subscription reads the cache on Reactor's bounded elastic scheduler, never on the
 * subscriber's thread, since the engines' calls block. A regeneration subscribes the
 * method's {@code Mono} on a subscription of its own (with an empty context), whose value
 * every subscriber gets; an empty {@code Mono} is cached as no value, as a method
 * returning {@code null} is. Only loaded for such methods.
 */
final class ReactiveDogpiles {

	private ReactiveDogpiles() {
	}

	/**
	 * Returns the method's result type, whose every subscription gets the cached value
	 * (or waits for the single computation of a missing one).
	 * @param call calls the method, once per regeneration
	 */
	static Object get(DogpileCache<@Nullable Object> cache, String key, Callable<@Nullable Object> call,
			ReactiveAdapter adapter) {
		Mono<Object> value = Mono.fromCallable(() -> cache.get(key, () -> {
			Object result = call.call();
			try {
				return (result != null) ? Mono.from(adapter.toPublisher(result)).block() : null;
			}
			catch (RuntimeException ex) {
				// block() wraps the Mono's checked exception: the caller gets it as it
				// is.
				throw (Exceptions.unwrap(ex) instanceof Exception failure) ? failure : ex;
			}
		})).subscribeOn(Schedulers.boundedElastic());
		return adapter.fromPublisher(value);
	}

}
