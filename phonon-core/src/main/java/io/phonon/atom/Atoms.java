package io.phonon.atom;

import java.time.Duration;
import java.util.Objects;
import java.util.SortedMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.phonon.JsonCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ParameterizedTypeReference;

/**
 * Atoms and counters shared by every process on a backend: on {@code redis} and
 * {@code jdbc} across the cluster, on {@code file} across the host's processes, on
 * {@code memory} in this JVM. Asking twice for one name gives the same atom.
 */
public interface Atoms {

	/**
	 * Returns the shared atom {@code name}, created with {@code initial} if no process
	 * made it yet.
	 * @param <T> the values' type
	 * @param name the atom's name
	 * @param type the values' class
	 * @param initial the first value, used only if the atom does not exist
	 * @return the atom
	 * @throws IllegalArgumentException if this process asked for the name with another
	 * type
	 */
	<T> SharedAtom<T> shared(String name, Class<T> type, @Nullable T initial);

	/**
	 * Returns the shared atom {@code name}, with a generic value type.
	 * @param <T> the values' type
	 * @param name the atom's name
	 * @param type the values' type, such as {@code new
	 * ParameterizedTypeReference<List<String>>() {}}
	 * @param initial the first value, used only if the atom does not exist
	 * @return the atom
	 * @throws IllegalArgumentException if this process asked for the name with another
	 * type
	 */
	<T> SharedAtom<T> shared(String name, ParameterizedTypeReference<T> type, @Nullable T initial);

	/**
	 * Returns the shared counter {@code name}, starting at 0.
	 * @param name the counter's name
	 * @return the counter
	 */
	Counter counter(String name);

	/**
	 * Returns the shared atoms and counters this process has asked for, with the version
	 * of each that it last saw (versions count changes from 1, the first value).
	 * @return the last-seen versions by name
	 */
	SortedMap<String, Long> known();

	/**
	 * Starts building shared atoms over an engine.
	 * @param backend the engine
	 * @param codec how values travel (JSON)
	 * @return a builder
	 */
	static Builder builder(AtomBackend backend, JsonCodec codec) {
		return new Builder(backend, codec);
	}

	/** Builds {@link Atoms}. */
	final class Builder {

		private final AtomBackend backend;

		private final JsonCodec codec;

		private Duration pollInterval = Duration.ofMillis(100);

		private @Nullable MeterRegistry meterRegistry;

		Builder(AtomBackend backend, JsonCodec codec) {
			this.backend = Objects.requireNonNull(backend, "backend");
			this.codec = Objects.requireNonNull(codec, "codec");
		}

		/**
		 * Sets how often watchers look for changes when no notice came (100 ms by
		 * default; engines with notices are looked at ten times less often).
		 * @param pollInterval the interval
		 * @return this builder
		 */
		public Builder pollInterval(Duration pollInterval) {
			this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
			return this;
		}

		/**
		 * Sets where the {@code phonon.atom.*} meters go; none by default.
		 * @param meterRegistry the registry
		 * @return this builder
		 */
		public Builder meterRegistry(@Nullable MeterRegistry meterRegistry) {
			this.meterRegistry = meterRegistry;
			return this;
		}

		/**
		 * Builds the atoms. Close them ({@link AutoCloseable}) to stop their watch
		 * thread; as a Spring bean that happens by itself.
		 * @return the atoms
		 */
		public Atoms build() {
			return new DefaultAtoms(this.backend, this.codec, this.pollInterval, this.meterRegistry);
		}

	}

}
