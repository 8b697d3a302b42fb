package io.phonon.backend.memory;

import io.phonon.atom.AtomBackend;
import io.phonon.dogpile.DogpileStore;
import io.phonon.lock.LockBackend;
import io.phonon.reference.ReferenceBackend;
import org.jspecify.annotations.Nullable;

/**
 * Creates the {@code memory} backend's engines.
 */
public final class MemoryBackend {

	/**
	 * The backend's name, as in {@code phonon.backend} and the meters' {@code backend}
	 * tag.
	 */
	public static final String NAME = "memory";

	private MemoryBackend() {
	}

	/**
	 * Creates a lock engine for this JVM.
	 * @return a new lock backend
	 */
	public static LockBackend locks() {
		return new MemoryLockBackend();
	}

	/**
	 * Creates a shared-atom engine for this JVM: its processes are the {@code Atoms}
	 * built on it.
	 * @return a new atom backend
	 */
	public static AtomBackend atoms() {
		return new MemoryAtomBackend();
	}

	/**
	 * Creates a dogpile store for this JVM: values are kept as the objects themselves.
	 * @return a new dogpile store
	 */
	public static DogpileStore<@Nullable Object> dogpiles() {
		return new MemoryDogpileStore();
	}

	/**
	 * Creates a reference engine for this JVM: its processes are the {@code References}
	 * instances built on it.
	 * @return a new reference backend
	 */
	public static ReferenceBackend references() {
		return new MemoryReferenceBackend();
	}

}
