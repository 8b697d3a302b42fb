package io.phonon.actuate;

import java.util.SortedMap;

import io.phonon.dogpile.Dogpiles;
import io.phonon.lock.LockBackend;
import io.phonon.reference.References;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The read-only {@code phonon} endpoint: which backend coordinates this instance, its process id,
 * the references it holds, and its dogpile caches with how many values each holds.
 */
@Endpoint(id = "phonon")
public class PhononEndpoint {

	private final LockBackend lockBackend;

	private final @Nullable References references;

	private final @Nullable Dogpiles dogpiles;

	/**
	 * Creates the endpoint.
	 * @param lockBackend the lock engine, which names the backend
	 * @param references this instance's references, if its backend has them
	 * @param dogpiles the dogpile caches, if there are any
	 */
	public PhononEndpoint(LockBackend lockBackend, @Nullable References references, @Nullable Dogpiles dogpiles) {
		this.lockBackend = lockBackend;
		this.references = references;
		this.dogpiles = dogpiles;
	}

	/**
	 * Describes this instance's coordination now.
	 * @return the description
	 */
	@ReadOperation
	public PhononDescriptor phonon() {
		return new PhononDescriptor(this.lockBackend.name(),
				(this.references != null) ? this.references.processId() : null,
				(this.references != null) ? this.references.held() : null,
				(this.dogpiles != null) ? this.dogpiles.sizes() : null);
	}

	/**
	 * What the endpoint shows.
	 * @param backend the backend's name
	 * @param process this instance's process id, where the backend has references
	 * @param references the resources this instance holds, with how many of its holders hold each
	 * @param dogpiles the dogpile caches this instance used, with how many values each holds in
	 * the store
	 */
	public record PhononDescriptor(String backend, @Nullable String process,
			@Nullable SortedMap<String, Integer> references, @Nullable SortedMap<String, Long> dogpiles) {
	}

}
