package io.phonon.reference;

/**
 * Runs when a resource whose name matches its pattern empties: the last one out's work,
 * such as writing the merged result once. Any live process that registered it may run it;
 * it may run again if the process running it dies before it returns, so make it
 * idempotent.
 * <p>
 * Register it with {@link References#onLastRelease}, or declare it as a bean: the
 * auto-configuration registers every {@code LastReleaseHandler} bean, in order, for the
 * resources its {@link #pattern()} names.
 */
@FunctionalInterface
public interface LastReleaseHandler {

	/**
	 * Returns the resources this handler handles when it is registered as a bean, as in
	 * {@link References#onLastRelease}: {@code *} matches any characters. Handlers
	 * registered by {@code onLastRelease} use the pattern given there instead.
	 * @return the pattern, by default {@code *} (every resource)
	 */
	default String pattern() {
		return "*";
	}

	/**
	 * Handles a resource that emptied.
	 * @param release the resource and how often it was modified
	 * @throws Exception to count the run as failed (it is logged, not retried)
	 */
	void onLastRelease(LastRelease release) throws Exception;

}
