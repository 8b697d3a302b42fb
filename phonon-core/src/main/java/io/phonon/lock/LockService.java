package io.phonon.lock;

import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Exclusive, leased, fenced locks on the configured backend.
 * <p>
 * While {@link #withLock} (or a {@code @Locked} method) runs, its lease is the scope of
 * the running thread: any acquisition of the same id on that thread, by any of these
 * methods, is re-entrant (no engine call; only the outermost scope releases), and
 * {@link Lease#current()} returns the innermost lease. Leases from {@link #acquire} and
 * {@link #tryAcquire} belong to whoever holds the object, not to a thread: they are not
 * re-entrant and are never renewed by themselves (use {@link Lease#extend}). In the
 * engine, ownership is a random token per acquisition, never a thread id, so any lease
 * may be closed from any thread.
 * <p>
 * Interrupting a waiting thread ends the wait with a
 * {@link java.util.concurrent.CancellationException}, the interrupt status kept.
 */
public interface LockService {

	/**
	 * Takes the lock, waiting up to the options' wait.
	 * @param id the lock id: any string of at most 64 KiB in UTF-8
	 * @param options lease, wait and meter name
	 * @return the lease, or empty if another owner held the lock for the whole wait
	 */
	Optional<Lease> tryAcquire(String id, LockOptions options);

	/**
	 * Takes the lock, waiting up to the options' wait.
	 * @param id the lock id: any string of at most 64 KiB in UTF-8
	 * @param options lease, wait and meter name
	 * @return the lease
	 * @throws AlreadyLockedException if another owner held the lock for the whole wait
	 */
	Lease acquire(String id, LockOptions options);

	/**
	 * Takes the lock, waiting up to the options' wait, and makes the lease the calling
	 * thread's current one until it is closed: meanwhile {@link Lease#current()} returns
	 * it, with its fencing token. Unlike in {@link #withLock}, the lease is neither
	 * renewed (it lasts the options' lease unless extended) nor re-entrant (another
	 * acquisition of the id, on any thread, finds the lock held). This serves frameworks
	 * that lock before a task and unlock after it on the same thread, such as ShedLock.
	 * @param id the lock id: any string of at most 64 KiB in UTF-8
	 * @param options lease, wait and meter name
	 * @return the lease, or empty if another owner held the lock for the whole wait
	 */
	Optional<Lease> tryEnter(String id, LockOptions options);

	/**
	 * Runs {@code action} holding the lock, renewing the lease every third of its
	 * duration while the action runs. If the action returns a
	 * {@link java.util.concurrent.CompletionStage}, the lock stays held (and renewed)
	 * until that stage completes. Inside the action, {@link Lease#current()} is the
	 * lease. If releasing fails after the action, the failure is logged and the lease
	 * left to expire: the action's outcome is what the caller gets, its own exceptions,
	 * checked ones included, unchanged.
	 * @param <T> the action's result type
	 * @param <E> what the action throws, inferred from it: {@code RuntimeException} for
	 * an action that throws no checked exception
	 * @param id the lock id: any string of at most 64 KiB in UTF-8
	 * @param options lease, wait and meter name
	 * @param action what to run holding the lock
	 * @return the action's result
	 * @throws AlreadyLockedException if another owner held the lock for the whole wait
	 * (the action did not run)
	 * @throws E what the action threw
	 */
	<T extends @Nullable Object, E extends Throwable> T withLock(String id, LockOptions options,
			LockedAction<T, E> action) throws E;

	/**
	 * Runs {@code action} holding the lock, as
	 * {@link #withLock(String, LockOptions, LockedAction)} does.
	 * @param <T> the action's result type
	 * @param id the lock id: any string of at most 64 KiB in UTF-8
	 * @param options lease, wait and meter name
	 * @param action what to run holding the lock
	 * @return the action's result
	 * @throws AlreadyLockedException if another owner held the lock for the whole wait
	 * (the action did not run)
	 */
	default <T extends @Nullable Object> T withLock(String id, LockOptions options, Supplier<T> action) {
		return withLock(id, options, (LockedAction<T, RuntimeException>) action::get);
	}

	/**
	 * What {@link #withLock(String, LockOptions, LockedAction)} runs holding a lock: a
	 * {@code Callable} whose exception type is inferred, so that a lambda that throws no
	 * checked exception needs no {@code catch}, and one that throws {@code IOException}
	 * makes {@code withLock} throw it. As a {@link Supplier} (so that a lambda chooses
	 * this overload), it wraps checked exceptions in
	 * {@link java.lang.reflect.UndeclaredThrowableException}.
	 *
	 * @param <T> the result type
	 * @param <E> what it throws
	 */
	@FunctionalInterface
	interface LockedAction<T extends @Nullable Object, E extends Throwable> extends Supplier<T> {

		/**
		 * Runs the action.
		 * @return its result
		 * @throws E what it throws
		 */
		T run() throws E;

		@Override
		default T get() {
			try {
				return run();
			}
			catch (RuntimeException | Error ex) {
				throw ex;
			}
			catch (Throwable ex) {
				throw new UndeclaredThrowableException(ex);
			}
		}

	}

	/**
	 * Returns the locks this service holds now: every valid lease it acquired and nobody
	 * closed yet, outermost acquisitions only, ordered by id.
	 * @return the held locks
	 */
	List<HeldLock> held();

	/**
	 * Starts building a lock service over a backend.
	 * @param backend the engine
	 * @return a builder
	 */
	static Builder builder(LockBackend backend) {
		return new Builder(backend);
	}

	/**
	 * Builds a {@link LockService}. The service it builds owns renewal threads and is
	 * {@link io.phonon.Stoppable}: {@code stop(deadline)} lets running scopes end with
	 * their leases renewed until the deadline, then releases every lease it holds;
	 * closing it ({@link AutoCloseable}) stops it at once. As a Spring bean, Phonon's
	 * lifecycle stops it before the engine's connections close.
	 */
	final class Builder {

		/** How many hand-offs in a row {@link #localHandOffs} allows unless set. */
		public static final int DEFAULT_LOCAL_HAND_OFFS = 64;

		private final LockBackend backend;

		private Duration lease = Duration.ofSeconds(30);

		private Duration wait = Duration.ZERO;

		private @Nullable MeterRegistry meterRegistry;

		private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

		private int localHandOffs = DEFAULT_LOCAL_HAND_OFFS;

		Builder(LockBackend backend) {
			this.backend = Objects.requireNonNull(backend, "backend");
		}

		/**
		 * Sets the lease of locks whose options have none (default 30 seconds).
		 * @param lease a positive duration, at least the engine's
		 * {@linkplain LockBackend#shortestLease() shortest lease} and at most
		 * {@link LockOptions#LONGEST}
		 * @return this builder
		 */
		public Builder defaultLease(Duration lease) {
			this.lease = DefaultLockService.checkLease(this.backend, lease);
			return this;
		}

		/**
		 * Sets the wait of locks whose options have none (default zero: try once).
		 * @param wait zero or a positive duration
		 * @return this builder
		 */
		public Builder defaultWait(Duration wait) {
			this.wait = LockOptions.checkWait(wait);
			return this;
		}

		/**
		 * Sets the registry of the lock meters; without one, nothing is measured.
		 * @param meterRegistry the registry, or {@code null}
		 * @return this builder
		 */
		public Builder meterRegistry(@Nullable MeterRegistry meterRegistry) {
			this.meterRegistry = meterRegistry;
			return this;
		}

		/**
		 * Sets the registry of the lock acquisition Observations
		 * ({@code phonon.lock.acquisition}, key values {@code name}, {@code backend} and
		 * {@code outcome}); without one, none are made.
		 * @param observationRegistry the registry, or {@code null}
		 * @return this builder
		 */
		public Builder observationRegistry(@Nullable ObservationRegistry observationRegistry) {
			this.observationRegistry = (observationRegistry != null) ? observationRegistry : ObservationRegistry.NOOP;
			return this;
		}

		/**
		 * Sets how many times in a row a released lock goes straight to a thread of this
		 * process that waits for it (default {@value #DEFAULT_LOCAL_HAND_OFFS}), on
		 * engines that {@linkplain LockBackend#handsOver() hand locks over}: one engine
		 * step that takes a new fencing token for the waiter, instead of a release, its
		 * notice and an acquisition. Then the lock is released to the engine, and this
		 * process's waiters compete with other processes' for it as equals, so none is
		 * starved. Zero releases every lock to the engine.
		 * @param localHandOffs zero or more
		 * @return this builder
		 */
		public Builder localHandOffs(int localHandOffs) {
			if (localHandOffs < 0) {
				throw new IllegalArgumentException(
						"localHandOffs must be zero (release every lock to the engine) or positive, was "
								+ localHandOffs);
			}
			this.localHandOffs = localHandOffs;
			return this;
		}

		/**
		 * Builds the service.
		 * @return the service
		 */
		public LockService build() {
			return new DefaultLockService(this.backend, this.lease, this.wait, this.localHandOffs,
					new LockMeters(this.meterRegistry, this.backend.name()), this.observationRegistry);
		}

	}

}
