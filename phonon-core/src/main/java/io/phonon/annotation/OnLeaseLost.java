package io.phonon.annotation;

/**
 * What happens to a running {@link Locked} method whose lease is lost: the engine refused
 * a renewal, a renewal did not answer in time, or the application's stop outlasted its
 * grace period. Either way the lost lease is logged, counted in {@code phonon.lock.lost},
 * and {@link io.phonon.lock.Lease#isValid()} turns {@code false}: another owner may hold
 * the lock from then on.
 */
public enum OnLeaseLost {

	/**
	 * The method runs on. Its fencing token still protects a store that checks it; the
	 * method may look at {@code Lease.current().get().isValid()} or register
	 * {@code Lease.onLost} itself.
	 */
	KEEP_RUNNING,

	/**
	 * The thread running the method is interrupted, once, at the moment the lease is
	 * lost, so that blocking calls ({@code Thread.sleep}, {@code BlockingQueue.take},
	 * interruptible I/O) end with an {@link InterruptedException} or its kind. Code that
	 * never checks the interrupt runs on. The thread is never interrupted after the
	 * method returned; an interrupt the method did not consume is left set, as
	 * {@code Future.cancel(true)} leaves it. Methods returning a {@code CompletionStage}
	 * do their work elsewhere and are refused at start-up with this policy.
	 */
	INTERRUPT

}
