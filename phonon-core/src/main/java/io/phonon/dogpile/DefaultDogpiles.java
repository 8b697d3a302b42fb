package io.phonon.dogpile;

import java.lang.reflect.Type;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.phonon.JsonCodec;
import io.phonon.lock.LockService;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ParameterizedTypeReference;

/**
 * {@link Dogpiles} over any {@link DogpileStore}: one {@link DefaultDogpileCache} per
 * name.
 */
final class DefaultDogpiles implements Dogpiles, AutoCloseable {

	private final DogpileStore<?> store;

	private final LockService lockService;

	/** Locks these caches made themselves, for a store that is not shared. */
	private final @Nullable LockService ownLocks;

	private final DogpileOptions defaults;

	private final @Nullable JsonCodec codec;

	private final Executor executor;

	/** The executor these caches made themselves, shut down with them. */
	private final @Nullable ExecutorService ownExecutor;

	private final @Nullable MeterRegistry meterRegistry;

	private final ObservationRegistry observationRegistry;

	private final ConcurrentHashMap<String, DefaultDogpileCache<?, ?>> caches = new ConcurrentHashMap<>();

	DefaultDogpiles(DogpileStore<?> store, LockService lockService, @Nullable LockService ownLocks,
			DogpileOptions defaults, @Nullable JsonCodec codec, Executor executor,
			@Nullable ExecutorService ownExecutor, @Nullable MeterRegistry meterRegistry,
			ObservationRegistry observationRegistry) {
		this.store = store;
		this.lockService = lockService;
		this.ownLocks = ownLocks;
		this.defaults = defaults;
		this.codec = codec;
		this.executor = executor;
		this.ownExecutor = ownExecutor;
		this.meterRegistry = meterRegistry;
		this.observationRegistry = observationRegistry;
	}

	@Override
	public <V> DogpileCache<V> cache(String name, Class<V> type) {
		return cache(name, type, this.defaults);
	}

	@Override
	public <V> DogpileCache<V> cache(String name, ParameterizedTypeReference<V> type, DogpileOptions options) {
		return cache(name, type.getType(), options);
	}

	@SuppressWarnings("unchecked")
	<V> DogpileCache<V> cache(String name, Type type, DogpileOptions options) {
		if (name.isEmpty()) {
			throw new IllegalArgumentException("A dogpile cache needs a name");
		}
		DefaultDogpileCache<?, ?> cache = this.caches.computeIfAbsent(name,
				(key) -> newCache(name, type, options, this.store));
		if (!cache.type().equals(type) || !cache.options().equals(options)) {
			throw new IllegalArgumentException("The dogpile cache '" + name + "' exists with type " + cache.type()
					+ " and " + cache.options() + "; asked for again with type " + type + " and " + options
					+ ". Give each kind of value its own cache name");
		}
		return (DogpileCache<V>) cache;
	}

	private <P extends @Nullable Object> DefaultDogpileCache<?, P> newCache(String name, Type type,
			DogpileOptions options, DogpileStore<P> store) {
		return new DefaultDogpileCache<>(name, type, options, store, this.lockService, this.codec, this.executor,
				new DogpileMeters(this.meterRegistry, this.observationRegistry, name));
	}

	@Override
	public void close() throws Exception {
		if (this.ownExecutor != null) {
			this.ownExecutor.shutdown();
		}
		if (this.ownLocks instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}

	@Override
	public SortedMap<String, Long> sizes() {
		TreeMap<String, Long> sizes = new TreeMap<>();
		this.caches.keySet().forEach((name) -> sizes.put(name, this.store.size(name)));
		return Collections.unmodifiableSortedMap(sizes);
	}

}
