package io.phonon.interceptor;

import java.io.Serial;
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

/**
 * Runs a {@code @Locked} method through {@link LockService#withLock}, which brings
 * renewal, re-entrancy, {@code Lease.current()} and holding the lock until a returned
 * {@code CompletionStage} completes.
 */
final class LockedMethodInterceptor implements MethodInterceptor {

	private final AnnotatedMethods<Locked, LockedMethod> methods;

	private final Supplier<LockService> lockService;

	LockedMethodInterceptor(AnnotatedMethods<Locked, LockedMethod> methods, Supplier<LockService> lockService) {
		this.methods = methods;
		this.lockService = lockService;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		LockedMethod method = this.methods.get(invocation.getMethod(),
				(target != null) ? AopUtils.getTargetClass(target) : null);
		String id = method.lockId(invocation.getArguments());
		try {
			return this.lockService.get()
				.withLock(id, method.options(), method.interruptOnLeaseLost() ? () -> proceedInterruptibly(invocation)
						: () -> proceed(invocation));
		}
		catch (MethodFailure failure) {
			throw failure.exception;
		}
		catch (AlreadyLockedException ex) {
			// Only the lock service's own refusal gets here: the method's exceptions are
			// wrapped.
			if (method.onTimeout() == OnTimeout.SKIP) {
				return method.skipValue().get();
			}
			throw ex;
		}
	}

	private static @Nullable Object proceed(MethodInvocation invocation) {
		try {
			return invocation.proceed();
		}
		catch (Throwable ex) {
			throw new MethodFailure(ex);
		}
	}

	/** Runs the method, its thread interrupted if the lease is lost while it runs. */
	private static @Nullable Object proceedInterruptibly(MethodInvocation invocation) {
		Interrupter interrupter = new Interrupter(Thread.currentThread());
		Lease.current().ifPresent((lease) -> lease.onLost(interrupter));
		try {
			return proceed(invocation);
		}
		finally {
			interrupter.disarm();
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

	/**
	 * Carries the method's own exception, checked or not, through the lock service
	 * unchanged.
	 */
	private static final class MethodFailure extends RuntimeException {

		@Serial
		private static final long serialVersionUID = 1L;

		@SuppressWarnings("serial")
		final Throwable exception;

		MethodFailure(Throwable exception) {
			super(null, null, false, false);
			this.exception = exception;
		}

	}

}
