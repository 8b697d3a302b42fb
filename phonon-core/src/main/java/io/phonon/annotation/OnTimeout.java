package io.phonon.annotation;

/**
 * What a {@link Locked} method does when its lock stays held by another owner for the
 * whole wait.
 */
public enum OnTimeout {

	/** Throw {@link io.phonon.lock.AlreadyLockedException}; the method does not run. */
	THROW,

	/**
	 * Do not run the method and return nothing: {@code null}, {@code Optional.empty()},
	 * an empty collection, map, stream or array, or a {@code CompletableFuture} completed
	 * with {@code null}, by the method's return type. Methods returning a primitive
	 * cannot be skipped and fail at start-up.
	 */
	SKIP

}
