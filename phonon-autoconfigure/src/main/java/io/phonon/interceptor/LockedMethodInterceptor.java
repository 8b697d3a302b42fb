package io.phonon.interceptor;

import java.util.function.Supplier;

import io.phonon.annotation.Locked;
import io.phonon.annotation.OnTimeout;
import io.phonon.lock.AlreadyLockedException;
import io.phonon.lock.Lease;
import io.phonon.lock.LockService;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.util.function.SingletonSupplier;

/**
 * Runs a {@code @Locked} method through {@link LockService#withLock}, which brings
 * renewal, re-entrancy, {@code Lease.current()} and holding the lock until a returned
 * {@code CompletionStage} completes; a reactive method's subscription through
 * {@link ReactiveLockedSections}.
 */
final class LockedMethodInterceptor implements MethodInterceptor {

	private final AnnotatedMethods<Locked, LockedMethod> methods;

	private final Supplier<LockService> lockService;

	/** The reactive sections, made on the first call of a reactive method. */
	private final Supplier<ReactiveLockedSections> reactiveSections;

	LockedMethodInterceptor(AnnotatedMethods<Locked, LockedMethod> methods, Supplier<LockService> lockService,
			BeanFactory beanFactory) {
		this.methods = methods;
		this.lockService = lockService;
		this.reactiveSections = SingletonSupplier.of(() -> new ReactiveLockedSections(beanFactory));
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		LockedMethod method = this.methods.get(invocation.getMethod(),
				(target != null) ? AopUtils.getTargetClass(target) : null);
		if (method.reactive() != null) {
			return this.reactiveSections.get().lock(invocation, method, method.reactive());
		}
		MethodCall call = new MethodCall(invocation, method.interruptOnLeaseLost());
		try {
			return this.lockService.get().withLock(method.lockId(invocation.getArguments()), method.options(), call);
		}
		catch (AlreadyLockedException ex) {
			// The lock service's own refusal, not one the method let out.
			if (!call.started && method.onTimeout() == OnTimeout.SKIP) {
				return method.skipValue().get();
			}
			throw ex;
		}
	}

	/**
	 * The method, run holding the lock; its exceptions, checked or not, reach the caller
	 * unchanged.
	 */
	private static final class MethodCall implements LockService.LockedAction<@Nullable Object, Throwable> {

		private final MethodInvocation invocation;

		private final boolean interruptOnLeaseLost;

		boolean started;

		MethodCall(MethodInvocation invocation, boolean interruptOnLeaseLost) {
			this.invocation = invocation;
			this.interruptOnLeaseLost = interruptOnLeaseLost;
		}

		@Override
		public @Nullable Object run() throws Throwable {
			this.started = true;
			if (!this.interruptOnLeaseLost) {
				return this.invocation.proceed();
			}
			// The method's thread is interrupted if the lease is lost while it runs.
			Interrupter interrupter = new Interrupter(Thread.currentThread());
			Lease.current().ifPresent((lease) -> lease.onLost(interrupter));
			try {
				return this.invocation.proceed();
			}
			finally {
				interrupter.disarm();
			}
		}

	}

	/** Interrupts the method's thread, but only while the method runs. */
	private static final class Interrupter implements Runnable {

		private final Thread thread;

		private boolean armed = true;

		Interrupter(Thread thread) {
			this.thread = thread;
		}

		@Override
		public synchronized void run() {
			if (this.armed) {
				this.armed = false;
				this.thread.interrupt();
			}
		}

		synchronized void disarm() {
			this.armed = false;
		}

	}

}
