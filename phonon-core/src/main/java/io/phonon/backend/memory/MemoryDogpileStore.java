package io.phonon.backend.memory;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

import io.phonon.SweptMap;
import io.phonon.dogpile.DogpileStore;
import io.phonon.dogpile.PayloadForm;
import io.phonon.lock.LockBackend;
import io.phonon.dogpile.StoredValue;
import org.jspecify.annotations.Nullable;

/**
 * Values of this process, as objects (never encoded), in a concurrent map per cache; time
 * on the monotonic clock. An entry past its stale window is dropped by the read that
 * finds it, or by the map's sweep ({@link SweptMap}) if its key is never read again.
 */
final class MemoryDogpileStore implements DogpileStore<@Nullable Object> {

	/**
	 * A stale window without end, still far from overflowing {@code nanoTime} arithmetic.
	 */
	private static final long FOREVER = Long.MAX_VALUE >> 2;

	private final ConcurrentHashMap<String, SweptMap<String, Entry>> caches = new ConcurrentHashMap<>();

	@Override
	public String name() {
		return MemoryBackend.NAME;
	}

	@Override
	public PayloadForm<@Nullable Object> payloadForm() {
		return PayloadForm.OBJECTS;
	}

	@Override
	public LockBackend localLocks() {
		return MemoryBackend.locks();
	}

	@Override
	public @Nullable StoredValue<@Nullable Object> get(String cache, String key) {
		SweptMap<String, Entry> entries = this.caches.get(cache);
		if (entries == null) {
			return null;
		}
		Entry entry = entries.get(key);
		if (entry == null) {
			return null;
		}
		long now = System.nanoTime();
		if (entry.staleUntil - now <= 0) {
			entries.remove(key, entry);
			return null;
		}
		return new StoredValue<>(entry.value, entry.freshUntil - now, entry.computeNanos);
	}

	@Override
	public void put(String cache, String key, @Nullable Object payload, long computeNanos, Duration expireAfter,
			@Nullable Duration maxStale) {
		long freshUntil = System.nanoTime() + expireAfter.toNanos();
		long staleUntil = freshUntil + ((maxStale != null) ? maxStale.toNanos() : FOREVER);
		entries(cache).put(key, new Entry(payload, freshUntil, staleUntil, computeNanos));
	}

	@Override
	public void expire(String cache, String key) {
		long now = System.nanoTime();
		// Stale from now; its stale window still ends when it would have.
		entries(cache).computeIfPresent(key, (k, entry) -> (entry.freshUntil - now > 0)
				? new Entry(entry.value, now, entry.staleUntil, entry.computeNanos) : entry);
	}

	@Override
	public void invalidate(String cache, String key) {
		entries(cache).remove(key);
	}

	@Override
	public long size(String cache) {
		SweptMap<String, Entry> entries = this.caches.get(cache);
		// Entries past their stale window are no longer held: drop them, as a read would.
		return (entries != null) ? entries.sweep() : 0;
	}

	/** How many entries a cache holds in memory, ended or not. */
	int held(String cache) {
		SweptMap<String, Entry> entries = this.caches.get(cache);
		return (entries != null) ? entries.held() : 0;
	}

	private SweptMap<String, Entry> entries(String cache) {
		return this.caches.computeIfAbsent(cache, (name) -> new SweptMap<>(Entry::ended));
	}

	private record Entry(@Nullable Object value, long freshUntil, long staleUntil, long computeNanos) {

		boolean ended() {
			return this.staleUntil - System.nanoTime() <= 0;
		}

	}

}
