package io.phonon;

import java.io.Serial;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when the engine behind Phonon fails (down, timed out, refused an operation). The
 * message names the backend and the operation; the cause is the engine's own error.
 */
public class PhononBackendException extends RuntimeException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final String backend;

	private final String operation;

	/**
	 * Creates an exception for a failed operation.
	 * @param backend the backend's name, such as {@code file}
	 * @param operation what was being done, such as {@code acquire lock 'records:42'}
	 * @param cause the engine's error
	 */
	public PhononBackendException(String backend, String operation, @Nullable Throwable cause) {
		super("Phonon backend '" + backend + "' failed to " + operation + ((cause != null) ? ": " + cause : ""), cause);
		this.backend = backend;
		this.operation = operation;
	}

	/**
	 * Returns the name of the backend that failed.
	 * @return the backend's name
	 */
	public String getBackend() {
		return this.backend;
	}

	/**
	 * Returns what was being done when the backend failed.
	 * @return the operation
	 */
	public String getOperation() {
		return this.operation;
	}

}
