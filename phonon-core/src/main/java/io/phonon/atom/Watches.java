package io.phonon.atom;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * The watches of one atom: a copy-on-write map, so a change reads it once and pays
 * nothing when there are none.
 *
 * @param <T> the values' type
 */
final class Watches<T> {

	private final Atom<T> atom;

	private final ReentrantLock changes = new ReentrantLock();

	private volatile Map<Object, Watch<T>> watches = Map.of();

	Watches(Atom<T> atom) {
		this.atom = atom;
	}

	void add(Object key, Watch<T> watch) {
		this.changes.lock();
		try {
			Map<Object, Watch<T>> copy = new LinkedHashMap<>(this.watches);
			copy.put(key, watch);
			this.watches = copy;
		}
		finally {
			this.changes.unlock();
		}
	}

	void remove(Object key) {
		this.changes.lock();
		try {
			Map<Object, Watch<T>> copy = new LinkedHashMap<>(this.watches);
			copy.remove(key);
			this.watches = copy;
		}
		finally {
			this.changes.unlock();
		}
	}

	boolean isEmpty() {
		return this.watches.isEmpty();
	}

	void notify(@Nullable T oldValue, @Nullable T newValue) {
		Map<Object, Watch<T>> current = this.watches;
		if (!current.isEmpty()) {
			current.forEach((key, watch) -> watch.changed(key, this.atom, oldValue, newValue));
		}
	}

}
