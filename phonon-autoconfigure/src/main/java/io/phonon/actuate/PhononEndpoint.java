package io.phonon.actuate;

import java.util.SortedMap;

import io.phonon.lock.LockBackend;
import io.phonon.reference.References;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The read-only {@code phonon} endpoint: which backend coordinates this instance, its process id,
 * and the references it holds.
 */
@Endpoint(id = "phonon")
public class PhononEndpoint {

	private final LockBackend lockBackend;

	private final @Nullable References references;

	/**
	 * Creates the endpoint.
	 * @param lockBackend the lock engine, which names the backend
	 * @param references this instance's references, if its backend has them
	 */
	public PhononEndpoint(LockBackend lockBackend, @Nullable References references) {
		this.lockBackend = lockBackend;
		this.references = references;
	}

	/**
	 * Describes this instance's coordination now.
	 * @return the description
	 */
	@ReadOperation
	public PhononDescriptor phonon() {
		return (this.references != null)
				? new PhononDescriptor(this.lockBackend.name(), this.references.processId(), this.references.held())
				: new PhononDescriptor(this.lockBackend.name(), null, null);
	}

	/**
	 * What the endpoint shows.
	 * @param backend the backend's name
	 * @param process this instance's process id, where the backend has references
	 * @param references the resources this instance holds, with how many of its holders hold each
	 */
	public record PhononDescriptor(String backend, @Nullable String process,
			@Nullable SortedMap<String, Integer> references) {
	}

}
