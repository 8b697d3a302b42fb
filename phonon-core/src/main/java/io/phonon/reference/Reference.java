package io.phonon.reference;

import io.phonon.lock.Lease;
import io.phonon.lock.LockOptions;
import org.jspecify.annotations.Nullable;

/**
 * This holder's reference to a resource, from {@link References#acquire}. Release it
 * exactly once; {@link #close()} releases it if that has not happened yet, so
 * try-with-resources works.
 */
public interface Reference extends AutoCloseable {

	/**
	 * Returns the resource's name.
	 * @return the resource
	 */
	String resource();

	/**
	 * Returns how many live processes hold the resource now, this one included.
	 * @return the count
	 */
	long count();

	/**
	 * Counts one modification of the resource, for the last one out to see.
	 * @return how often it was modified since it was last empty
	 */
	long markModified();

	/**
	 * Returns how often the resource was modified since it was last empty.
	 * @return the count
	 */
	long timesModified();

	/**
	 * Takes an exclusive lease on the resource (the lock id is
	 * {@code reference:<resource>}).
	 * @param options lease, wait and meter name
	 * @return the lease
	 * @throws io.phonon.lock.AlreadyLockedException if another owner held it for the
	 * whole wait
	 */
	Lease lock(LockOptions options);

	/**
	 * Releases the reference. If that emptied the resource, this process runs the
	 * handlers registered for it before this returns, and a handler's failure is thrown
	 * here. A reference that was lost (this process's session expired and the engine
	 * dropped its holding) or released by the process's stop releases nothing more and
	 * answers {@code false}.
	 * @return whether this release emptied the resource (last one out)
	 * @throws IllegalStateException if the reference was released already
	 */
	boolean release();

	/**
	 * Releases the reference; if that emptied the resource, runs {@code onLast} here
	 * instead of the registered handlers. Should this process die while it runs, another
	 * live process runs the registered handlers instead ({@code onLast} exists only
	 * here).
	 * @param onLast what the last one out does
	 * @return whether this release emptied the resource
	 * @throws IllegalStateException if the reference was released already
	 */
	boolean release(@Nullable Runnable onLast);

	/** Releases the reference unless it was released already. */
	@Override
	void close();

}
