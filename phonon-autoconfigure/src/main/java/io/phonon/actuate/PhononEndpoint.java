package io.phonon.actuate;

import java.util.List;
import java.util.SortedMap;

import io.phonon.atom.Atoms;
import io.phonon.dogpile.Dogpiles;
import io.phonon.lock.HeldLock;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockService;
import io.phonon.reference.References;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The read-only {@code phonon} endpoint: which backend coordinates this instance, its
 * process id, the locks and references it holds, its dogpile caches with how many values
 * each holds, and the shared atoms it knows.
 */
@Endpoint(id = "phonon")
public class PhononEndpoint {

	private final LockBackend lockBackend;

	private final LockService lockService;

	private final @Nullable References references;

	private final @Nullable Dogpiles dogpiles;

	private final @Nullable Atoms atoms;

	/**
	 * Creates the endpoint.
	 * @param lockBackend the lock engine, which names the backend
	 * @param lockService this instance's locks
	 * @param references this instance's references, if its backend has them
	 * @param dogpiles the dogpile caches, if there are any
	 * @param atoms the shared atoms, if there are any
	 */
	public PhononEndpoint(LockBackend lockBackend, LockService lockService, @Nullable References references,
			@Nullable Dogpiles dogpiles, @Nullable Atoms atoms) {
		this.lockBackend = lockBackend;
		this.lockService = lockService;
		this.references = references;
		this.dogpiles = dogpiles;
		this.atoms = atoms;
	}

	/**
	 * Describes this instance's coordination now.
	 * @return the description
	 */
	@ReadOperation
	public PhononDescriptor phonon() {
		return new PhononDescriptor(this.lockBackend.name(),
				(this.references != null) ? this.references.processId() : null, this.lockService.held(),
				(this.references != null) ? this.references.held() : null,
				(this.dogpiles != null) ? this.dogpiles.sizes() : null,
				(this.atoms != null) ? this.atoms.known() : null);
	}

	/**
	 * What the endpoint shows.
	 *
	 * @param backend the backend's name
	 * @param process this instance's process id, where the backend has references
	 * @param locks the locks this instance holds, by id
	 * @param references the resources this instance holds, with how many of its holders
	 * hold each
	 * @param dogpiles the dogpile caches this instance used, with how many values each
	 * holds in the store
	 * @param atoms the shared atoms and counters this instance asked for, with the
	 * version of each it last saw
	 */
	public record PhononDescriptor(String backend, @Nullable String process, List<HeldLock> locks,
			@Nullable SortedMap<String, Integer> references, @Nullable SortedMap<String, Long> dogpiles,
			@Nullable SortedMap<String, Long> atoms) {
	}

}
