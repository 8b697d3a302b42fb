package io.phonon;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * A concurrent map of per-key state that ends (an expiry, a deadline), for Phonon's
 * engines and caches: entries that ended are removed by a sweep that runs whenever the
 * map has doubled since the last one, so memory stays within about twice the entries that
 * have not ended, however many keys pass through, and a sweep costs O(1) per insertion on
 * average. Entries are not removed only because their key is read again.
 *
 * @param <K> the keys
 * @param <V> the entries
 */
public final class SweptMap<K, V> {

	/** Below this size the map is never swept: too small to matter. */
	private static final int SMALLEST_SWEPT = 1024;

	private final ConcurrentHashMap<K, V> entries = new ConcurrentHashMap<>();

	private final Predicate<? super V> ended;

	private final AtomicInteger sweepAt = new AtomicInteger(SMALLEST_SWEPT);

	/**
	 * Creates an empty map.
	 * @param ended whether an entry has ended, asked when sweeping (it may read the
	 * clock)
	 */
	public SweptMap(Predicate<? super V> ended) {
		this.ended = ended;
	}

	/**
	 * Returns the entry of {@code key}, ended or not.
	 * @param key the key
	 * @return the entry, or {@code null}
	 */
	public @Nullable V get(K key) {
		return this.entries.get(key);
	}

	/**
	 * Sets the entry of {@code key}, sweeping first if the map has doubled.
	 * @param key the key
	 * @param entry the entry
	 */
	public void put(K key, V entry) {
		this.entries.put(key, entry);
		sweepIfGrown();
	}

	/**
	 * Changes the entry of {@code key} if there is one, as
	 * {@link ConcurrentHashMap#computeIfPresent}.
	 * @param key the key
	 * @param change the change; {@code null} removes the entry
	 */
	public void computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends @Nullable V> change) {
		this.entries.computeIfPresent(key, change);
	}

	/**
	 * Removes the entry of {@code key}.
	 * @param key the key
	 */
	public void remove(K key) {
		this.entries.remove(key);
	}

	/**
	 * Removes the entry of {@code key} if it is still {@code entry}.
	 * @param key the key
	 * @param entry the entry expected
	 */
	public void remove(K key, V entry) {
		this.entries.remove(key, entry);
	}

	/**
	 * Removes every entry that ended now.
	 * @return how many entries are left
	 */
	public int sweep() {
		this.entries.values().removeIf(this.ended);
		int left = this.entries.size();
		this.sweepAt.set(Math.max(SMALLEST_SWEPT, 2 * left));
		return left;
	}

	/**
	 * Returns how many entries the map holds, ended or not: what it costs in memory.
	 * @return the number of entries
	 */
	public int held() {
		return this.entries.size();
	}

	private void sweepIfGrown() {
		int at = this.sweepAt.get();
		// One thread sweeps; the others go on (the threshold moves before the sweep
		// starts).
		if (this.entries.size() >= at && this.sweepAt.compareAndSet(at, Integer.MAX_VALUE)) {
			sweep();
		}
	}

}
