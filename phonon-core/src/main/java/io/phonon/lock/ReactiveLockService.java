package io.phonon.lock;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Locks for Reactor pipelines: the lock is taken when the guarded publisher is
 * subscribed, held (and renewed every third of its lease) for the life of that
 * subscription, and released when it completes, fails or is cancelled. It is the same
 * lock, lease, fencing token and meters as {@link LockService}'s: a reactive section and
 * a blocking one on the same id exclude each other.
 * <p>
 * Re-entrancy follows the subscription's {@link reactor.util.context.Context}, not a
 * thread: a section nested in the guarded publisher's pipeline joins the lease it runs
 * under, and {@link ReactiveLease#current()} reads that lease. No Reactor thread blocks:
 * taking the lock (and waiting for it, woken by the engine's release signal) runs on a
 * bounded scheduler of this service's own, and releasing on
 * {@link reactor.core.scheduler.Schedulers#boundedElastic()}; the guarded publisher is
 * subscribed on the thread that took the lock.
 *
 * <pre class="code">
 * Mono&lt;Report&gt; report = reactiveLocks.withLock("report:" + day, LockOptions.defaults(),
 *         Mono.defer(() -&gt; reports.build(day)));
 * </pre>
 *
 * Close the service to stop its scheduler; the Spring Boot starter makes one bean of it
 * when Reactor is on the class path.
 */
public interface ReactiveLockService extends AutoCloseable {

	/**
	 * Subscribes {@code action} holding the lock: taken on subscription, waiting up to
	 * the options' wait; released when the returned {@code Mono} completes, fails or is
	 * cancelled (after the options' hold-at-least, if set).
	 * @param <T> the action's value type
	 * @param id the lock id: any string of at most 64 KiB in UTF-8
	 * @param options lease, wait and meter name
	 * @param action what to subscribe holding the lock; subscribed once per subscription
	 * of the result
	 * @return the action's value; an {@link AlreadyLockedException} if another owner held
	 * the lock for the whole wait (the action was not subscribed)
	 */
	<T> Mono<T> withLock(String id, LockOptions options, Mono<T> action);

	/**
	 * Subscribes {@code action} holding the lock, as
	 * {@link #withLock(String, LockOptions, Mono)} does, for as long as it emits.
	 * @param <T> the action's element type
	 * @param id the lock id: any string of at most 64 KiB in UTF-8
	 * @param options lease, wait and meter name
	 * @param action what to subscribe holding the lock
	 * @return the action's elements; an {@link AlreadyLockedException} if another owner
	 * held the lock for the whole wait (the action was not subscribed)
	 */
	<T> Flux<T> withLock(String id, LockOptions options, Publisher<T> action);

	/** Stops the scheduler that takes locks; subscriptions that wait for one fail. */
	@Override
	void close();

	/**
	 * Creates the reactive service over a lock service made by
	 * {@link LockService#builder}.
	 * @param lockService the lock service whose engine, leases and meters the reactive
	 * sections share
	 * @param maxWaitingThreads at most how many subscriptions wait for a lock (or ask the
	 * engine for one) at once; further ones queue
	 * @return the reactive service
	 * @throws IllegalArgumentException if the lock service was not made by
	 * {@link LockService#builder}
	 */
	static ReactiveLockService of(LockService lockService, int maxWaitingThreads) {
		if (!(lockService instanceof DefaultLockService locks)) {
			throw new IllegalArgumentException("ReactiveLockService works over a LockService made by"
					+ " LockService.builder(...), not over " + lockService.getClass().getName());
		}
		if (maxWaitingThreads < 1) {
			throw new IllegalArgumentException(
					"maxWaitingThreads must be at least 1 (it was " + maxWaitingThreads + ")");
		}
		return new DefaultReactiveLockService(locks, maxWaitingThreads);
	}

}
