package io.phonon;

/**
 * A Phonon service that stops gracefully before the engine's connections close: the lock
 * service, the references. Spring's lifecycle stops them, in that order, before the
 * application's connection factory or {@code DataSource}; a plain application calls
 * {@link #stop} itself (closing the service stops it at once).
 */
public interface Stoppable extends AutoCloseable {

	/**
	 * Stops the service: from now on new work fails fast with
	 * {@link PhononStoppedException}; work that is running goes on, with its leases and
	 * session kept alive, until it ends or the deadline passes; then what remains is
	 * released through the normal path and the service's threads end.
	 * @param deadline when to stop waiting for running work, on the
	 * {@link System#nanoTime()} clock
	 */
	void stop(long deadline);

	/** Takes new work again after {@link #stop}; does nothing to a running service. */
	void start();

	/**
	 * Returns whether the service takes new work.
	 * @return {@code true} until stopped, and again once started
	 */
	boolean isRunning();

	/** Stops at once: work still running is not waited for. */
	@Override
	default void close() {
		stop(System.nanoTime());
	}

}
