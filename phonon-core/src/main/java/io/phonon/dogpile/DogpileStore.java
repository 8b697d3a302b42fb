package io.phonon.dogpile;

import java.time.Duration;

import io.phonon.lock.LockBackend;
import org.jspecify.annotations.Nullable;

/**
 * The engine side of dogpile caches: where values live. Every method is one atomic step,
 * with freshness measured on the engine's clock. An engine that shares values between
 * processes keeps their JSON text ({@code DogpileStore<String>},
 * {@link PayloadForm#ENCODED}); a store of this process keeps the values themselves
 * ({@link PayloadForm#OBJECTS}).
 *
 * @param <P> what the store keeps of a value
 */
public interface DogpileStore<P extends @Nullable Object> extends AutoCloseable {

	/**
	 * Returns the backend's name, used as the {@code backend} of meters and the endpoint.
	 * @return the name
	 */
	String name();

	/**
	 * Returns whether the values are shared by the processes of the cluster: then the
	 * caches' callers regenerate under a cluster-wide lock. By default, a store that
	 * keeps encoded values ({@link #payloadForm()}) is shared, and one that keeps objects
	 * is not.
	 * @return whether shared
	 */
	default boolean shared() {
		return payloadForm().encoded();
	}

	/**
	 * Returns what the store keeps of a value: {@link PayloadForm#ENCODED} for
	 * {@code DogpileStore<String>}, {@link PayloadForm#OBJECTS} for one that keeps
	 * objects.
	 * @return the form
	 */
	PayloadForm<P> payloadForm();

	/**
	 * Returns the in-process locks that regenerations of a store that is not shared take
	 * when the caches are built without a {@code LockService}; a shared store has none,
	 * as its regenerations need the cluster-wide locks of the same engine.
	 * @return the lock engine, or {@code null} for a shared store
	 */
	default @Nullable LockBackend localLocks() {
		return null;
	}

	/**
	 * Returns a value, fresh or stale, unless there is none or it is older than its stale
	 * window.
	 * @param cache the cache's name
	 * @param key the key
	 * @return the value, or {@code null}
	 */
	@Nullable StoredValue<P> get(String cache, String key);

	/**
	 * Stores a new value: fresh for {@code expireAfter} from now, then served stale for
	 * {@code maxStale} (forever when {@code null}).
	 * @param cache the cache's name
	 * @param key the key
	 * @param payload what the store keeps of the value (see {@link #payloadForm()})
	 * @param computeNanos how long making it took
	 * @param expireAfter how long it is fresh
	 * @param maxStale how long it may be served once stale, or {@code null} for ever
	 */
	void put(String cache, String key, P payload, long computeNanos, Duration expireAfter, @Nullable Duration maxStale);

	/**
	 * Makes a value stale now, keeping it to serve while one caller regenerates (soft).
	 * @param cache the cache's name
	 * @param key the key
	 */
	void expire(String cache, String key);

	/**
	 * Removes a value: callers wait for a new one (hard).
	 * @param cache the cache's name
	 * @param key the key
	 */
	void invalidate(String cache, String key);

	/**
	 * Returns how many values a cache holds now, fresh or stale.
	 * @param cache the cache's name
	 * @return the count
	 */
	long size(String cache);

	/** Frees the store's resources. */
	@Override
	default void close() {
	}

}
