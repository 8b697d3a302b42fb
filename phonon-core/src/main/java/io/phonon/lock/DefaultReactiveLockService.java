package io.phonon.lock;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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
 * The {@link ReactiveLockService} over {@link DefaultLockService}. Where the engine
 * answers without blocking ({@link LockBackend#callsWithoutBlocking()}), a lock that is
 * free is taken, and one that nobody of this process waits for is released, without
 * holding a thread while the engine answers. Otherwise the engines' calls block, so
 * waiting for a lock runs on a bounded scheduler of its own, and releasing on Reactor's
 * bounded elastic one, so that releases never queue behind waiters that wait for them.
 */
final class DefaultReactiveLockService implements ReactiveLockService {

	private static final Log logger = LogFactory.getLog(DefaultReactiveLockService.class);

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

	private final int maxWaitingThreads;

	private final int maxQueuedPerThread;

	DefaultReactiveLockService(DefaultLockService locks, int maxWaitingThreads) {
		this(locks, maxWaitingThreads, Schedulers.DEFAULT_BOUNDED_ELASTIC_QUEUESIZE);
	}

	/**
	 * @param maxQueuedPerThread how many subscriptions may queue for each waiting thread
	 * before more are refused, as Reactor's bounded elastic scheduler bounds its queue
	 */
	DefaultReactiveLockService(DefaultLockService locks, int maxWaitingThreads, int maxQueuedPerThread) {
		this.locks = locks;
		this.maxWaitingThreads = maxWaitingThreads;
		this.maxQueuedPerThread = maxQueuedPerThread;
		this.taking = Schedulers.newBoundedElastic(maxWaitingThreads, maxQueuedPerThread, "phonon-lock", IDLE_SECONDS,
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
			return Mono.create((sink) -> take(id, options, parent, sink));
		});
	}

	/**
	 * Begins the acquisition, its Observation a child of the subscriber's, and asks the
	 * engine without blocking where it can; a wait runs on the waiting scheduler.
	 */
	private void take(String id, LockOptions options, @Nullable Observation parent, MonoSink<Taken> sink) {
		DefaultLockService.Acquisition acquisition;
		try (Observation.Scope scope = (parent != null) ? parent.openScope() : null) {
			acquisition = this.locks.beginForSubscription(id, options);
		}
		catch (RuntimeException ex) {
			sink.error(ex);
			return;
		}
		Delivery delivery = new Delivery(id, options, sink);
		if (!acquisition.asksWithoutBlocking()) {
			delivery.await(acquisition);
			return;
		}
		acquisition.askWithoutBlocking()
			// The answer comes on the engine client's thread, which must run neither the
			// section nor a wait; the section starts on a parallel thread, as
			// Reactor's own timed sources emit there.
			.whenComplete((token, failure) -> Schedulers.parallel().schedule(() -> {
				if (failure != null) {
					delivery.deliver((failure instanceof CompletionException && failure.getCause() != null)
							? failure.getCause() : failure);
				}
				else if (token.isEmpty() && acquisition.waits()) {
					delivery.await(acquisition);
				}
				else {
					delivery.settle(() -> acquisition.settle(token));
				}
			}));
	}

	private Mono<Void> release(Taken taken) {
		if (taken.lease instanceof HeldLease held && taken.heldUntil - System.nanoTime() <= 0) {
			CompletionStage<Void> closing = held.closeWithoutBlocking();
			if (closing != null) {
				return Mono.fromCompletionStage(closing).onErrorResume((ex) -> {
					logger.warn("Could not release lock '" + held.id() + "'; it expires by itself", ex);
					return Mono.empty();
				});
			}
		}
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
	 * Hands a subscription the outcome of its acquisition once, whichever way the lock
	 * was taken. A subscription cancelled meanwhile interrupts a wait; a lease taken as
	 * it is cancelled is given back, never left renewed with nobody to close it.
	 */
	private final class Delivery {

		private final String id;

		private final LockOptions options;

		private final MonoSink<Taken> sink;

		/** What was delivered (a Taken or a failure), or FALSE once cancelled. */
		private final AtomicReference<@Nullable Object> outcome = new AtomicReference<>();

		private volatile @Nullable Disposable waiting;

		/**
		 * The acquisition whose wait is queued and has not started: the wait and a
		 * cancellation each take it, so that exactly one ends it.
		 */
		private final AtomicReference<DefaultLockService.@Nullable Acquisition> queued = new AtomicReference<>();

		Delivery(String id, LockOptions options, MonoSink<Taken> sink) {
			this.id = id;
			this.options = options;
			this.sink = sink;
			sink.onCancel(this::cancelled);
		}

		/**
		 * Waits for the lock on the waiting scheduler, or fails at once where its queue
		 * is full.
		 */
		void await(DefaultLockService.Acquisition acquisition) {
			this.queued.set(acquisition);
			Disposable task;
			try {
				task = DefaultReactiveLockService.this.taking.schedule(() -> {
					if (this.queued.compareAndSet(acquisition, null)) {
						settle(acquisition::await);
					}
				});
			}
			catch (RejectedExecutionException ex) {
				RejectedExecutionException refused = new RejectedExecutionException(
						"Lock '" + this.id + "' was not taken: " + DefaultReactiveLockService.this.maxWaitingThreads
								+ " subscriptions wait for locks (phonon.lock.reactive-threads) and "
								+ DefaultReactiveLockService.this.maxQueuedPerThread
								+ " more per thread queue for them. Bound the subscribers' concurrency (flatMap's"
								+ " concurrency, a connection limit) or raise phonon.lock.reactive-threads",
						ex);
				this.queued.set(null);
				deliver(acquisition.failed(refused));
				return;
			}
			this.waiting = task;
			if (this.outcome.get() == Boolean.FALSE) {
				// Cancelled before the task was known.
				abandonQueued();
				task.dispose();
			}
		}

		/**
		 * Ends a wait cancelled before it started as a failed acquisition, so that its
		 * meters and Observation end too.
		 */
		private void abandonQueued() {
			DefaultLockService.Acquisition abandoned = this.queued.getAndSet(null);
			if (abandoned != null) {
				abandoned.failed(
						new CancellationException("The subscription waiting for lock '" + this.id + "' was cancelled"));
			}
		}

		/**
		 * Makes the outcome, on this thread, and delivers it; {@code taking} may wait.
		 */
		void settle(Callable<@Nullable ScopedLease> taking) {
			ScopedLease lease;
			try {
				lease = taking.call();
			}
			catch (Throwable ex) {
				Thread.interrupted(); // a cancelled wait's interrupt stays with the task
				deliver(ex);
				return;
			}
			if (lease == null) {
				deliver(new AlreadyLockedException(this.id,
						DefaultReactiveLockService.this.locks.waitOf(this.options)));
				return;
			}
			Taken taken = new Taken(lease, System.nanoTime() + this.options.holdAtLeast().toNanos());
			if (this.outcome.compareAndSet(null, taken)) {
				this.sink.success(taken);
			}
			else {
				release(taken).subscribe();
			}
		}

		void deliver(Throwable failure) {
			if (this.outcome.compareAndSet(null, failure)) {
				this.sink.error(failure);
			}
		}

		private void cancelled() {
			Object before = this.outcome.getAndSet(Boolean.FALSE);
			Disposable task = this.waiting;
			if (before == null && task != null) {
				abandonQueued();
				task.dispose();
			}
			else if (before instanceof Taken taken) {
				// Delivered as it was cancelled, maybe never received: closing twice is
				// harmless, a lease nobody closes is not.
				release(taken).subscribe();
			}
		}

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
