package io.phonon.dogpile;

import java.io.Serial;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.phonon.JsonCodec;
import io.phonon.PhononStoppedException;
import io.phonon.SweptMap;
import io.phonon.lock.AlreadyLockedException;
import io.phonon.lock.Lease;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * dogpile's algorithm over a {@link DogpileStore} and a {@link LockService}:
 * <ul>
 * <li>fresh: the value, with no lock and no write;</li>
 * <li>stale (or due early by XFetch): one caller takes the key's regeneration lock
 * without waiting and regenerates; everyone else gets the stale value at once. In one JVM
 * only one caller asks for the lock, and after a refusal nobody here asks again for a
 * while;</li>
 * <li>no value: one caller per JVM takes the lock, waiting, and computes unless another
 * process did meanwhile; the other callers of this JVM wait for its result.</li>
 * </ul>
 *
 * @param <V> the values' type
 */
final class DefaultDogpileCache<V extends @Nullable Object, P extends @Nullable Object> implements DogpileCache<V> {

	private static final Log logger = LogFactory.getLog(DefaultDogpileCache.class);

	/**
	 * After another process refused us the lock, how long stale callers here do not ask
	 * again.
	 */
	private static final long LOCK_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	/** How long a caller with no value waits for another process's first computation. */
	private static final Duration MISS_WAIT = Duration.ofMinutes(5);

	private final String name;

	private final Type type;

	private final DogpileOptions options;

	private final DogpileStore<P> store;

	private final PayloadForm<P> form;

	private final LockService lockService;

	private final @Nullable JsonCodec codec;

	private final Executor executor;

	private final DogpileMeters meters;

	private final LockOptions staleLock;

	private final LockOptions missLock;

	/** The first computation of each key in progress in this JVM. */
	private final ConcurrentHashMap<String, CompletableFuture<@Nullable Object>> loading = new ConcurrentHashMap<>();

	/** Keys that a caller of this JVM regenerates now. */
	private final ConcurrentHashMap<String, Boolean> regenerating = new ConcurrentHashMap<>();

	/**
	 * This process's XFetch draw for each key's current value, where beta is above zero;
	 * ends with the freshness.
	 */
	private final SweptMap<String, EarlyDraw> draws = new SweptMap<>((draw) -> draw.deadline - System.nanoTime() <= 0);

	/**
	 * Two reads whose deadlines differ by less are of the same value (the engine's clock
	 * has jitter).
	 */
	private final long sameDeadlineNanos;

	/**
	 * Keys whose lock another process held, until when ({@link System#nanoTime()}) not to
	 * ask again.
	 */
	private final SweptMap<String, Long> heldElsewhere = new SweptMap<>(
			(notBefore) -> notBefore - System.nanoTime() <= 0);

	DefaultDogpileCache(String name, Type type, DogpileOptions options, DogpileStore<P> store, LockService lockService,
			@Nullable JsonCodec codec, Executor executor, DogpileMeters meters) {
		this.name = name;
		this.type = type;
		this.options = options;
		this.store = store;
		this.form = store.payloadForm();
		this.lockService = lockService;
		this.codec = codec;
		this.executor = executor;
		this.meters = meters;
		this.sameDeadlineNanos = Math.min(TimeUnit.MILLISECONDS.toNanos(10), options.expireAfter().toNanos() / 4);
		this.staleLock = LockOptions.defaults().withName("dogpile:" + name).withWait(Duration.ZERO);
		this.missLock = LockOptions.defaults().withName("dogpile:" + name).withWait(MISS_WAIT);
	}

	@Override
	public String name() {
		return this.name;
	}

	Type type() {
		return this.type;
	}

	DogpileOptions options() {
		return this.options;
	}

	@Override
	public V get(String key, Callable<? extends V> creator) throws Exception {
		StoredValue<P> stored = this.store.get(this.name, key);
		if (stored == null) {
			return computeMissing(key, creator);
		}
		if (stored.isFresh() && !dueEarly(key, stored)) {
			this.meters.fresh();
			return decode(stored);
		}
		return regenerateOrServe(key, stored, creator);
	}

	@Override
	public void invalidate(String key) {
		this.store.invalidate(this.name, key);
	}

	@Override
	public void expire(String key) {
		this.store.expire(this.name, key);
	}

	/**
	 * XFetch: regenerate before expiry once {@code delta * beta * -ln(rand)} reaches the
	 * time left, rand in (0, 1]. The random number is drawn once per value in this
	 * process, not per call: drawn per call, a busy process would roll thousands of times
	 * per second and regenerate almost continuously.
	 */
	private boolean dueEarly(String key, StoredValue<P> stored) {
		if (this.options.beta() <= 0) {
			return false;
		}
		long deadline = System.nanoTime() + stored.freshNanos();
		EarlyDraw draw = this.draws.get(key);
		if (draw == null || Math.abs(draw.deadline - deadline) > this.sameDeadlineNanos) {
			double random = 1.0 - ThreadLocalRandom.current().nextDouble();
			draw = new EarlyDraw(deadline, (long) (stored.computeNanos() * this.options.beta() * -Math.log(random)));
			this.draws.put(key, draw);
		}
		return stored.freshNanos() <= draw.earlyNanos;
	}

	private V regenerateOrServe(String key, StoredValue<P> stored, Callable<? extends V> creator) throws Exception {
		Long notBefore = this.heldElsewhere.get(key);
		if ((notBefore != null && notBefore - System.nanoTime() > 0)
				|| this.regenerating.putIfAbsent(key, Boolean.TRUE) != null) {
			return served(stored);
		}
		if (this.options.async()) {
			try {
				this.executor.execute(() -> {
					try {
						regenerate(key, stored, creator);
					}
					catch (Exception ex) {
						logger.warn("Background regeneration of dogpile cache '" + this.name + "' failed; the stale"
								+ " value stays", ex);
					}
					finally {
						this.regenerating.remove(key);
					}
				});
			}
			catch (RejectedExecutionException ex) {
				// The executor is full (or stopping): serve what there is, and let a
				// later read try again.
				this.regenerating.remove(key);
				this.meters.skipped();
			}
			return served(stored);
		}
		try {
			Regenerated<V> regenerated = regenerate(key, stored, creator);
			if (regenerated == null) {
				return served(stored);
			}
			this.meters.miss();
			return regenerated.value;
		}
		finally {
			this.regenerating.remove(key);
		}
	}

	/**
	 * The value a caller gets while another regenerates: stale, or still fresh when due
	 * early.
	 */
	private V served(StoredValue<P> stored) {
		if (stored.isFresh()) {
			this.meters.fresh();
		}
		else {
			this.meters.stale();
		}
		return decode(stored);
	}

	/**
	 * Regenerates under the key's lock, taken without waiting.
	 * @return the new value, or {@code null} if another process holds the lock
	 */
	private @Nullable Regenerated<V> regenerate(String key, StoredValue<P> seen, Callable<? extends V> creator)
			throws Exception {
		try {
			return locked(this.staleLock, key, () -> {
				StoredValue<P> current = this.store.get(this.name, key);
				// A value fresher than the one seen was put by another regeneration
				// meanwhile.
				if (current != null && current.freshNanos() > seen.freshNanos()) {
					return new Regenerated<>(decode(current));
				}
				return new Regenerated<>(compute(key, creator));
			});
		}
		catch (AlreadyLockedException ex) {
			this.heldElsewhere.put(key, System.nanoTime() + LOCK_RETRY_NANOS);
			return null;
		}
		catch (PhononStoppedException ex) {
			return null; // no regeneration while the application stops: the stale value
							// stays
		}
	}

	// V may be a nullable type; NullAway does not follow an unchecked cast to it.
	@SuppressWarnings({ "unchecked", "NullAway" })
	private V computeMissing(String key, Callable<? extends V> creator) throws Exception {
		CompletableFuture<@Nullable Object> mine = new CompletableFuture<>();
		CompletableFuture<@Nullable Object> running = this.loading.putIfAbsent(key, mine);
		if (running != null) {
			this.meters.waited();
			return (V) await(running);
		}
		try {
			Regenerated<V> result = locked(this.missLock, key, () -> {
				StoredValue<P> current = this.store.get(this.name, key);
				if (current != null) {
					this.meters.waited();
					return new Regenerated<>(decode(current));
				}
				this.meters.miss();
				return new Regenerated<>(compute(key, creator));
			});
			mine.complete(result.value);
			return result.value;
		}
		catch (Throwable ex) {
			mine.completeExceptionally(ex);
			throw ex;
		}
		finally {
			this.loading.remove(key, mine);
		}
	}

	private V compute(String key, Callable<? extends V> creator) throws Exception {
		DogpileMeters.Regeneration regeneration = this.meters.regeneration();
		V value;
		try {
			value = creator.call();
		}
		catch (Exception | Error ex) {
			regeneration.failed(ex);
			throw ex;
		}
		long took = regeneration.succeeded();
		this.draws.remove(key);
		// A regenerator whose lease ran out (paused or cut off past it) may have been
		// overtaken by a newer regeneration: its caller gets its value, the store keeps
		// the other's.
		if (Lease.current().map(Lease::isValid).orElse(true)) {
			this.store.put(this.name, key, encode(value), took, this.options.expireAfter(), this.options.maxStale());
		}
		return value;
	}

	/** Runs {@code step} holding the key's regeneration lock, renewed while it runs. */
	private <T> T locked(LockOptions lock, String key, Callable<T> step) throws Exception {
		try {
			return this.lockService.withLock("dogpile:" + this.name + ":" + key, lock, () -> {
				try {
					return step.call();
				}
				catch (Exception ex) {
					throw new StepFailure(ex);
				}
			});
		}
		catch (StepFailure failure) {
			throw failure.exception;
		}
	}

	private static @Nullable Object await(CompletableFuture<@Nullable Object> running) throws Exception {
		try {
			return running.get();
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof Exception exception) {
				throw exception;
			}
			throw (Error) cause;
		}
	}

	private P encode(@Nullable V value) {
		return this.form.payload(value, this.codec);
	}

	// V may be a nullable type; NullAway does not follow an unchecked cast to it.
	@SuppressWarnings({ "unchecked", "NullAway" })
	private V decode(StoredValue<P> stored) {
		return (V) this.form.value(stored.payload(), this.codec, this.type);
	}

	/**
	 * When this process regenerates a value early.
	 *
	 * @param deadline the value's expiry on {@link System#nanoTime()}, which names the
	 * value
	 * @param earlyNanos how long before it
	 */
	private record EarlyDraw(long deadline, long earlyNanos) {
	}

	/**
	 * A value got under the lock; a holder, so a {@code null} value differs from no
	 * value.
	 */
	private record Regenerated<V extends @Nullable Object>(V value) {
	}

	/** Carries a creator's checked exception through the lock service unchanged. */
	private static final class StepFailure extends RuntimeException {

		@Serial
		private static final long serialVersionUID = 1L;

		@SuppressWarnings("serial")
		final Exception exception;

		StepFailure(Exception exception) {
			super(null, null, false, false);
			this.exception = exception;
		}

	}

}
