package io.phonon.reference;

import java.time.Duration;
import java.util.SortedMap;
import java.util.Objects;

import io.micrometer.core.instrument.MeterRegistry;
import io.phonon.lock.LockService;
import org.jspecify.annotations.Nullable;

/**
 * Reference counting across processes (phonon). Each application instance is a process
 * whose session the engine keeps alive by heartbeats; a process that stops heart-beating
 * is treated as crashed and its references are reaped by a live one.
 * <p>
 * When a resource empties (its last holder releases it, or its last holders crashed),
 * exactly one process runs the handlers registered for it: the one whose release emptied
 * it, or a live process that found it emptied by reaping. If that process dies before the
 * handlers return, another live process runs them again.
 */
public interface References {

	/**
	 * Takes a reference to a resource for this holder. Several holders in one process
	 * count as that process holding it, until the last of them releases.
	 * @param resource the resource's name, not empty
	 * @return the reference
	 */
	Reference acquire(String resource);

	/**
	 * Returns how many live processes hold the resource now.
	 * @param resource the resource's name
	 * @return the count
	 */
	long count(String resource);

	/**
	 * Registers what the last one out does for resources whose names match
	 * {@code pattern} ({@code *} matches any characters, such as {@code record:*}). Every
	 * matching handler runs, in the order registered. Register the same handlers in every
	 * process, so any live one can run them: a process with no handler for an emptied
	 * resource completes its last release without running anything.
	 * @param pattern the resource name pattern
	 * @param handler the handler
	 */
	void onLastRelease(String pattern, LastReleaseHandler handler);

	/**
	 * Returns the resources this process holds now, by name, with how many of its holders
	 * hold each.
	 * @return the resources held, sorted by name
	 */
	SortedMap<String, Integer> held();

	/**
	 * Returns this process's id: host, process id and a random part.
	 * @return the process id
	 */
	String processId();

	/**
	 * Starts building references over an engine.
	 * @param backend the engine
	 * @param lockService the locks behind {@link Reference#lock}
	 * @return a builder
	 */
	static Builder builder(ReferenceBackend backend, LockService lockService) {
		return new Builder(backend, lockService);
	}

	/**
	 * Builds {@link References}. What it builds starts its session and heartbeat thread
	 * at once; close it ({@link AutoCloseable}) to release its references and end its
	 * session; as a Spring bean that happens by itself.
	 */
	final class Builder {

		private final ReferenceBackend backend;

		private final LockService lockService;

		private Duration heartbeatInterval = Duration.ofSeconds(5);

		private Duration sessionTimeout = Duration.ofSeconds(30);

		private @Nullable MeterRegistry meterRegistry;

		Builder(ReferenceBackend backend, LockService lockService) {
			this.backend = Objects.requireNonNull(backend, "backend");
			this.lockService = Objects.requireNonNull(lockService, "lockService");
		}

		/**
		 * Sets how often the session is extended (default 5 s). Also how often this
		 * process looks for crashed processes and unhandled last releases.
		 * @param heartbeatInterval a positive duration shorter than the session timeout
		 * @return this builder
		 */
		public Builder heartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
			return this;
		}

		/**
		 * Sets how long a session lives without a heartbeat (default 30 s): how soon a
		 * crashed process's references are reaped.
		 * @param sessionTimeout a positive duration longer than the heartbeat interval
		 * @return this builder
		 */
		public Builder sessionTimeout(Duration sessionTimeout) {
			this.sessionTimeout = sessionTimeout;
			return this;
		}

		/**
		 * Sets the registry of the reference meters; without one, nothing is measured.
		 * @param meterRegistry the registry, or {@code null}
		 * @return this builder
		 */
		public Builder meterRegistry(@Nullable MeterRegistry meterRegistry) {
			this.meterRegistry = meterRegistry;
			return this;
		}

		/**
		 * Builds the references and starts the process's session.
		 * @return the references
		 */
		public References build() {
			if (this.heartbeatInterval.isNegative() || this.heartbeatInterval.isZero()
					|| this.heartbeatInterval.compareTo(this.sessionTimeout) >= 0) {
				throw new IllegalArgumentException("The heartbeat interval (" + this.heartbeatInterval
						+ ") must be positive and shorter than the session timeout (" + this.sessionTimeout
						+ "), or sessions expire between heartbeats");
			}
			return new DefaultReferences(this.backend, this.lockService, this.heartbeatInterval, this.sessionTimeout,
					this.meterRegistry);
		}

	}

}
