package io.phonon.interceptor;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import io.phonon.annotation.OnTimeout;
import io.phonon.lock.AlreadyLockedException;
import io.phonon.lock.ReactiveLease;
import io.phonon.lock.ReactiveLockService;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.ReactiveAdapter;

/**
 * {@code @Locked} on a method whose work runs when its result is subscribed (a reactive
 * type, or a suspend function as Spring's proxy hands it over): each subscription runs
 * the method holding the lock, through {@link ReactiveLockService}. Only loaded for such
 * methods, so an application without Reactor never needs it.
 */
final class ReactiveLockedSections {

	private final ReactiveLockService locks;

	ReactiveLockedSections(BeanFactory beanFactory) {
		this.locks = beanFactory.getBean(ReactiveLockService.class);
	}

	/**
	 * Returns the method's result type, whose every subscription takes the lock, then
	 * calls the method and subscribes what it returns.
	 */
	Object lock(MethodInvocation invocation, LockedMethod method, ReactiveAdapter adapter) {
		String id = method.lockId(invocation.getArguments());
		Publisher<Object> locked;
		if (adapter.isMultiValue()) {
			locked = Flux.defer(() -> {
				AtomicBoolean started = new AtomicBoolean();
				return this.locks
					.withLock(id, method.options(), Flux.defer(() -> section(invocation, method, adapter, started)))
					.onErrorResume(skipped(method, started), (ex) -> Flux.empty());
			});
		}
		else {
			locked = Mono.defer(() -> {
				AtomicBoolean started = new AtomicBoolean();
				return this.locks
					.withLock(id, method.options(),
							Mono.defer(() -> Mono.from(section(invocation, method, adapter, started))))
					.onErrorResume(skipped(method, started), (ex) -> Mono.empty());
			});
		}
		return adapter.fromPublisher(locked);
	}

	/**
	 * Calls the method, once per subscription, and returns what it returned; with
	 * {@code onLeaseLost = INTERRUPT}, cancelled with a {@link CancellationException} if
	 * the lease is lost meanwhile.
	 */
	private static Flux<Object> section(MethodInvocation invocation, LockedMethod method, ReactiveAdapter adapter,
			AtomicBoolean started) {
		started.set(true);
		Flux<Object> work = Flux.defer(() -> {
			try {
				Object result = AnnotatedMethods.callAgain(invocation);
				return (result != null) ? Flux.from(adapter.toPublisher(result)) : Flux.empty();
			}
			catch (Throwable ex) {
				return Flux.error(ex);
			}
		});
		if (!method.interruptOnLeaseLost()) {
			return work;
		}
		return ReactiveLease.current().flatMapMany((lease) -> {
			Sinks.Empty<Object> lost = Sinks.empty();
			lease.onLost(() -> lost.tryEmitError(new CancellationException("The lease of lock '" + lease.id()
					+ "' was lost, so the section was cancelled (onLeaseLost = INTERRUPT)")));
			return work.takeUntilOther(lost.asMono());
		});
	}

	/**
	 * Whether a failure is the lock service's refusal (not one the method let out) of a
	 * method that says SKIP: the section then completes empty.
	 */
	private static Predicate<Throwable> skipped(LockedMethod method, AtomicBoolean started) {
		return (ex) -> method.onTimeout() == OnTimeout.SKIP && ex instanceof AlreadyLockedException && !started.get();
	}

}
