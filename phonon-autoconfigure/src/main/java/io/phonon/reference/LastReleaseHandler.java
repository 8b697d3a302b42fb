package io.phonon.reference;

/**
 * Runs when a resource whose name matches its pattern empties: the last one out's work, such as
 * writing the merged result once. Any live process that registered it may run it; it may run
 * again if the process running it dies before it returns, so make it idempotent.
 */
@FunctionalInterface
public interface LastReleaseHandler {

	/**
	 * Handles a resource that emptied.
	 * @param release the resource and how often it was modified
	 * @throws Exception to count the run as failed (it is logged, not retried)
	 */
	void onLastRelease(LastRelease release) throws Exception;

}
