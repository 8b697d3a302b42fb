package io.phonon;

import java.io.Serial;

/**
 * Thrown when new work is asked of a Phonon service that is stopping or stopped: a lock
 * or a reference taken while the application shuts down. Work that was running when the
 * stop began goes on (see {@link Stoppable}).
 */
public class PhononStoppedException extends IllegalStateException {

	@Serial
	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception for refused work.
	 * @param what what was refused, such as {@code lock 'records:42' was not taken}
	 */
	public PhononStoppedException(String what) {
		super(what + ": Phonon is stopping with the application, and takes no new work");
	}

}
