package io.phonon.lock;

import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

/**
 * The {@link ReactiveLockService} over {@link DefaultLockService}: the engines' calls
 * block, so taking a lock (which may wait) runs on a bounded scheduler of its own, and
 * releasing on Reactor's bounded elastic one, so that releases never queue behind waiters
 * that wait for them.
 */
final class DefaultReactiveLockService implements ReactiveLockService {

	/**
	 * Where Micrometer's context propagation keeps the subscriber's Observation in the
	 * Reactor context ({@code ObservationThreadLocalAccessor.KEY}, named here so that
	 * context propagation need not be on the class path).
	 */
	private static final String OBSERVATION_KEY = "micrometer.observation";

	/** Thread keep-alive of the waiting scheduler, in seconds. */
	private static final int IDLE_SECONDS = 60;

	private final DefaultLockService locks;

	private final Scheduler taking;

	DefaultReactiveLockService(DefaultLockService locks, int maxWaitingThreads) {
		this.locks = locks;
		this.taking = Schedulers.newBoundedElastic(maxWaitingThreads, Integer.MAX_VALUE, "phonon-lock", IDLE_SECONDS,
				true);
	}

	@Override
	public <T> Mono<T> withLock(String id, LockOptions options, Mono<T> action) {
		return Mono.usingWhen(take(id, options), (taken) -> action.contextWrite(taken::holding), this::release,
				(taken, failure) -> release(taken), this::release);
	}

	@Override
	public <T> Flux<T> withLock(String id, LockOptions options, Publisher<T> action) {
		return Flux.usingWhen(take(id, options), (taken) -> Flux.from(action).contextWrite(taken::holding),
				this::release, (taken, failure) -> release(taken), this::release);
	}

	/** Takes the lock, or joins the lease of a section this subscription runs in. */
	private Mono<Taken> take(String id, LockOptions options) {
		return Mono.deferContextual((context) -> {
			HeldLease held = ReactiveLease.holding(context, this.locks.backend(), id);
			if (held != null) {
				return Mono.just(new Taken(new NestedLease(held), 0));
			}
			Observation parent = context.getOrDefault(OBSERVATION_KEY, null);
			return Mono.create((sink) -> takeOnScheduler(id, options, parent, sink));
		});
	}

	/**
	 * Takes the lock on the waiting scheduler, its Observation a child of the
	 * subscriber's. A subscription cancelled meanwhile interrupts the wait; a lease taken
	 * as it is cancelled is given back, never left renewed with nobody to close it.
	 */
	private void takeOnScheduler(String id, LockOptions options, @Nullable Observation parent, MonoSink<Taken> sink) {
		AtomicReference<@Nullable Object> outcome = new AtomicReference<>();
		Disposable task = this.taking.schedule(() -> {
			ScopedLease lease;
			try (Observation.Scope scope = (parent != null) ? parent.openScope() : null) {
				lease = this.locks.lockForSubscription(id, options);
			}
			catch (Throwable ex) {
				Thread.interrupted(); // a cancelled wait's interrupt stays with the task
				if (outcome.compareAndSet(null, ex)) {
					sink.error(ex);
				}
				return;
			}
			if (lease == null) {
				if (outcome.compareAndSet(null, Boolean.FALSE)) {
					sink.error(new AlreadyLockedException(id, this.locks.waitOf(options)));
				}
				return;
			}
			Taken taken = new Taken(lease, System.nanoTime() + options.holdAtLeast().toNanos());
			if (outcome.compareAndSet(null, taken)) {
				sink.success(taken);
			}
			else {
				release(taken).subscribe();
			}
		});
		sink.onCancel(() -> {
			Object before = outcome.getAndSet(Boolean.FALSE);
			if (before == null) {
				task.dispose();
			}
			else if (before instanceof Taken taken) {
				// Delivered as it was cancelled, maybe never received: closing twice is
				// harmless, a lease nobody closes is not.
				release(taken).subscribe();
			}
		});
	}

	private Mono<Void> release(Taken taken) {
		return Mono.<Void>fromRunnable(() -> DefaultLockService.releaseAfterAction(taken.lease, taken.heldUntil))
			.subscribeOn(Schedulers.boundedElastic());
	}

	@Override
	public void close() {
		this.taking.dispose();
	}

	@Override
	public String toString() {
		return "ReactiveLockService[" + this.locks + "]";
	}

	/**
	 * A lease taken for a subscription, and until when the options' hold-at-least keeps
	 * it.
	 */
	private record Taken(ScopedLease lease, long heldUntil) {

		/** The context of the section, inside those of {@code context}. */
		Context holding(Context context) {
			return ReactiveLease.holding(context, this.lease);
		}

	}

}
