package io.phonon.atom;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.phonon.JsonCodec;
import io.phonon.Stoppable;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ParameterizedTypeReference;

/**
 * {@link Atoms} over any {@link AtomBackend}: one atom per name, one watch feed for them
 * all.
 */
final class DefaultAtoms implements Atoms, Stoppable {

	private final AtomBackend backend;

	private final JsonCodec codec;

	private final @Nullable MeterRegistry meterRegistry;

	private final WatchFeed feed;

	private final ConcurrentHashMap<String, DefaultSharedAtom<?>> atoms = new ConcurrentHashMap<>();

	private volatile boolean running = true;

	DefaultAtoms(AtomBackend backend, JsonCodec codec, Duration pollInterval, @Nullable MeterRegistry meterRegistry) {
		this.backend = backend;
		this.codec = codec;
		this.meterRegistry = meterRegistry;
		this.feed = new WatchFeed(backend, pollInterval);
	}

	@Override
	public <T> SharedAtom<T> shared(String name, Class<T> type, @Nullable T initial) {
		return atom(name, type, initial, false);
	}

	@Override
	public <T> SharedAtom<T> shared(String name, ParameterizedTypeReference<T> type, @Nullable T initial) {
		return atom(name, type.getType(), initial, false);
	}

	@Override
	public Counter counter(String name) {
		return (Counter) this.<Long>atom(name, Long.class, 0L, true);
	}

	@Override
	public SortedMap<String, Long> known() {
		TreeMap<String, Long> known = new TreeMap<>();
		this.atoms.forEach((name, atom) -> known.put(name, atom.lastSeenVersion()));
		return known;
	}

	@SuppressWarnings("unchecked")
	private <T> DefaultSharedAtom<T> atom(String name, Type type, @Nullable T initial, boolean counter) {
		if (name.isEmpty()) {
			throw new IllegalArgumentException("A shared atom needs a name");
		}
		DefaultSharedAtom<?> atom = this.atoms.computeIfAbsent(name, (key) -> {
			DefaultSharedAtom<?> made = counter
					? new DefaultCounter(name, this.backend, this.codec, this.feed, this.meterRegistry)
					: new DefaultSharedAtom<>(name, type, initial, this.backend, this.codec, this.feed,
							this.meterRegistry);
			made.read(); // creates it with its first value unless a process did
			return made;
		});
		if (!atom.type().equals(type) || (atom instanceof Counter) != counter) {
			throw new IllegalArgumentException(
					"The shared atom '" + name + "' is known here as " + atom + "; asked for again as "
							+ (counter ? "a counter" : "an atom of " + type) + ". Give each its own name");
		}
		return (DefaultSharedAtom<T>) atom;
	}

	/**
	 * Stops delivering other processes' changes to the watches; atoms themselves keep
	 * working.
	 */
	@Override
	public void stop(long deadline) {
		if (this.running) {
			this.running = false;
			this.feed.close();
		}
	}

	@Override
	public void start() {
		if (!this.running) {
			this.running = true;
			this.feed.reopen();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
