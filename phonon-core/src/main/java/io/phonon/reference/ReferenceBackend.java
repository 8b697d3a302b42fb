package io.phonon.reference;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The engine side of references: what a backend implements. Each method is one atomic
 * step in the engine, in the engine's time. {@link References} above it keeps this JVM's
 * holders, heartbeats, reaping and handlers.
 * <p>
 * A resource's holders are processes. A process whose session expired holds nothing: it
 * is not counted, the first {@link #leave} or {@link #reapExpiredSessions} to see it
 * drops it, and a resource that this empties gets exactly one {@link LastRelease}.
 */
public interface ReferenceBackend extends AutoCloseable {

	/**
	 * Returns the backend's name, used as the {@code backend} tag of meters.
	 * @return the name
	 */
	String name();

	/**
	 * Starts or extends the session of {@code process}: it stays live
	 * {@code sessionTimeout} from now. A session that had expired starts anew; whatever
	 * of its holdings nobody dropped meanwhile is live again with it.
	 * @param process the process id
	 * @param sessionTimeout how long the session lives without another heartbeat
	 * @return whether the session was live before this heartbeat ({@code false} for a new
	 * session, and for one that had expired, reaped or not)
	 */
	boolean heartbeat(String process, Duration sessionTimeout);

	/**
	 * Returns which of {@code resources} the engine records {@code process} as holding:
	 * after a session was found expired, the holdings that were not dropped meanwhile.
	 * @param process the process id
	 * @param resources the resources the process believes it holds
	 * @return those of them it holds in the engine
	 */
	Set<String> heldBy(String process, Collection<String> resources);

	/**
	 * Ends the session of {@code process}, which has released its references.
	 * @param process the process id
	 */
	void endSession(String process);

	/**
	 * Records that {@code process} holds {@code resource}; holding it already changes
	 * nothing.
	 * @param resource the resource
	 * @param process the process id
	 */
	void join(String resource, String process);

	/**
	 * Records that {@code process} no longer holds {@code resource}, dropping holders
	 * whose sessions expired. If no holder remains, the resource emptied: its
	 * times-modified count moves into a new last release, claimed by {@code process}, and
	 * it is reset.
	 * @param resource the resource
	 * @param process the process id
	 * @return the last release, if this emptied the resource
	 */
	Optional<LastRelease> leave(String resource, String process);

	/**
	 * Returns how many processes with live sessions hold {@code resource}.
	 * @param resource the resource
	 * @return the count
	 */
	long count(String resource);

	/**
	 * Counts one modification of {@code resource}.
	 * @param resource the resource
	 * @return the count since the resource was last empty
	 */
	long markModified(String resource);

	/**
	 * Returns how often {@code resource} was marked modified since it was last empty.
	 * @param resource the resource
	 * @return the count
	 */
	long timesModified(String resource);

	/**
	 * Takes away the holdings of every expired session. Each session is reaped by exactly
	 * one caller; each resource this empties gets an unclaimed last release.
	 * @return the processes whose sessions this call reaped
	 */
	List<String> reapExpiredSessions();

	/**
	 * Returns the last releases that nobody runs: unclaimed, or claimed by a process
	 * whose session expired.
	 * @return the last releases waiting for a runner
	 */
	List<LastRelease> unhandled();

	/**
	 * Claims a last release for {@code process}, if nobody runs it.
	 * @param id the last release's id
	 * @param process the process id
	 * @return whether {@code process} now runs it
	 */
	boolean claim(String id, String process);

	/**
	 * Records that a last release's handler ran to its end; it is not run again.
	 * @param id the last release's id
	 */
	void complete(String id);

	/** Frees the backend's resources. */
	@Override
	default void close() {
	}

}
