package io.phonon.dogpile;

import java.time.Duration;
import java.util.Objects;
import java.util.SortedMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.phonon.JsonCodec;
import io.phonon.PhononThreads;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockService;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ParameterizedTypeReference;

/**
 * The dogpile caches of an application, by name. Caches of one name share their values:
 * on a shared store, across the cluster.
 */
public interface Dogpiles {

	/**
	 * Returns the cache {@code name} with the default options.
	 * @param <V> the values' type
	 * @param name the cache's name
	 * @param type the values' class
	 * @return the cache
	 * @throws IllegalArgumentException if the cache exists with another type or options
	 */
	<V> DogpileCache<V> cache(String name, Class<V> type);

	/**
	 * Returns the cache {@code name}.
	 * @param <V> the values' type
	 * @param name the cache's name
	 * @param type the values' type, generic parameters included, such as {@code new
	 * ParameterizedTypeReference<List<Report>>() {}}
	 * @param options how it treats its values
	 * @return the cache
	 * @throws IllegalArgumentException if the cache exists with another type or options
	 */
	<V> DogpileCache<V> cache(String name, ParameterizedTypeReference<V> type, DogpileOptions options);

	/**
	 * Returns how many values each cache holds now.
	 * @return the entry counts by cache name
	 */
	SortedMap<String, Long> sizes();

	/**
	 * Starts building dogpile caches over a store.
	 * @param store where values live
	 * @param lockService the regeneration locks: over the same backend as a shared store,
	 * so they are cluster-wide; {@code null} for a store that is not shared, whose values
	 * are this process's and whose locks are then this JVM's (closed with the caches)
	 * @return a builder
	 */
	static Builder builder(DogpileStore<?> store, @Nullable LockService lockService) {
		return new Builder(store, lockService);
	}

	/** Builds {@link Dogpiles}. */
	final class Builder {

		/** The threads of the default executor of background regenerations. */
		public static final int REGENERATION_THREADS = 4;

		/** The regenerations that may wait for a thread of the default executor. */
		public static final int REGENERATION_QUEUE = 256;

		private final DogpileStore<?> store;

		private final @Nullable LockService lockService;

		private DogpileOptions defaults = DogpileOptions.expireAfter(Duration.ofMinutes(10));

		private @Nullable JsonCodec codec;

		private @Nullable Executor executor;

		private @Nullable MeterRegistry meterRegistry;

		private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

		Builder(DogpileStore<?> store, @Nullable LockService lockService) {
			this.store = Objects.requireNonNull(store, "store");
			if (lockService == null && store.shared()) {
				throw new IllegalArgumentException("The " + store.name() + " dogpile store is shared: give it a"
						+ " LockService over the same backend, so regeneration locks are cluster-wide");
			}
			this.lockService = lockService;
		}

		/**
		 * Sets the options of caches asked for without any.
		 * @param defaults the options
		 * @return this builder
		 */
		public Builder defaults(DogpileOptions defaults) {
			this.defaults = Objects.requireNonNull(defaults, "defaults");
			return this;
		}

		/**
		 * Sets how values are encoded for a shared store; required with one.
		 * @param codec the codec
		 * @return this builder
		 */
		public Builder codec(@Nullable JsonCodec codec) {
			this.codec = codec;
			return this;
		}

		/**
		 * Sets where background ({@code async}) regenerations run. By default, a pool of
		 * {@value #REGENERATION_THREADS} daemon threads with room for
		 * {@value #REGENERATION_QUEUE} waiting regenerations, shut down with the caches.
		 * When the executor refuses a regeneration (it is full), the stale value is
		 * served, the regeneration skipped and counted
		 * ({@code phonon.dogpile.regeneration.skipped}); a later read tries again.
		 * @param executor the executor
		 * @return this builder
		 */
		public Builder executor(@Nullable Executor executor) {
			this.executor = executor;
			return this;
		}

		/**
		 * Sets where the {@code phonon.dogpile.*} meters go; none by default.
		 * @param meterRegistry the registry
		 * @return this builder
		 */
		public Builder meterRegistry(@Nullable MeterRegistry meterRegistry) {
			this.meterRegistry = meterRegistry;
			return this;
		}

		/**
		 * Sets the registry of the {@code phonon.dogpile.regeneration} Observations (key
		 * values {@code name} and {@code outcome}), one per computation of a value, and
		 * of the acquisition Observations of the locks the caches make themselves; none
		 * by default.
		 * @param observationRegistry the registry, or {@code null}
		 * @return this builder
		 */
		public Builder observationRegistry(@Nullable ObservationRegistry observationRegistry) {
			this.observationRegistry = (observationRegistry != null) ? observationRegistry : ObservationRegistry.NOOP;
			return this;
		}

		/**
		 * Builds the caches. Close them ({@link AutoCloseable}) to free the locks they
		 * made themselves; as a Spring bean that happens by itself.
		 * @return the caches
		 * @throws IllegalStateException if the store is shared and no codec is set
		 */
		public Dogpiles build() {
			if (this.store.payloadForm().encoded() && this.codec == null) {
				throw new IllegalStateException("The " + this.store.name() + " dogpile store is shared, so its values"
						+ " are encoded: set a JsonCodec (the auto-configuration uses the application's Jackson"
						+ " JsonMapper; add spring-boot-starter-jackson)");
			}
			ExecutorService ownExecutor = (this.executor == null)
					? PhononThreads.boundedPool("phonon-dogpile-regenerate", REGENERATION_THREADS, REGENERATION_QUEUE)
					: null;
			Executor executor = (ownExecutor != null) ? ownExecutor : Objects.requireNonNull(this.executor);
			LockBackend localLocks = (this.lockService == null) ? this.store.localLocks() : null;
			if (this.lockService == null && localLocks == null) {
				throw new IllegalStateException("The " + this.store.name() + " dogpile store has no local locks"
						+ " (DogpileStore.localLocks()): give the builder a LockService");
			}
			LockService ownLocks = (localLocks != null) ? LockService.builder(localLocks)
				.meterRegistry(this.meterRegistry)
				.observationRegistry(this.observationRegistry)
				.build() : null;
			return new DefaultDogpiles(this.store,
					(ownLocks != null) ? ownLocks : Objects.requireNonNull(this.lockService), ownLocks, this.defaults,
					this.codec, executor, ownExecutor, this.meterRegistry, this.observationRegistry);
		}

	}

}
