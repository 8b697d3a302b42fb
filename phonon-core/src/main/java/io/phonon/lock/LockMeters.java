package io.phonon.lock;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * The lock meters of DESIGN.md, registered once per logical lock name so the hot path
 * only looks them up. Tags carry the logical name and the backend, never a lock id.
 */
final class LockMeters {

	static final String ACQUIRE = "phonon.lock.acquire";

	static final String ACTIVE = "phonon.lock.active";

	static final String LOST = "phonon.lock.lost";

	private final @Nullable MeterRegistry registry;

	private final String backend;

	private final ConcurrentHashMap<String, Named> byName = new ConcurrentHashMap<>();

	LockMeters(@Nullable MeterRegistry registry, String backend) {
		this.registry = registry;
		this.backend = backend;
	}

	Named named(String name) {
		MeterRegistry registry = this.registry;
		if (registry == null) {
			return Named.NONE;
		}
		Named named = this.byName.get(name);
		return (named != null) ? named : this.byName.computeIfAbsent(name, (key) -> register(registry, key));
	}

	private Named register(MeterRegistry registry, String name) {
		Tags tags = Tags.of("name", name, "backend", this.backend);
		return new Named(acquireTimer(registry, tags, "acquired"), acquireTimer(registry, tags, "timeout"),
				acquireTimer(registry, tags, "failed"),
				LongTaskTimer.builder(ACTIVE)
					.description("Locks held now by this instance, and for how long")
					.tags(tags)
					.register(registry),
				Counter.builder(LOST)
					.description("Leases lost while held: renewal failed or the lease expired before release")
					.tags(tags)
					.register(registry));
	}

	private static Timer acquireTimer(MeterRegistry registry, Tags tags, String outcome) {
		return Timer.builder(ACQUIRE)
			.description("Time to acquire a lock or give up waiting for it")
			.tags(tags)
			.tag("outcome", outcome)
			.register(registry);
	}

	/** The meters of one logical lock name; all no-ops when metrics are off. */
	static final class Named {

		static final Named NONE = new Named(null, null, null, null, null);

		private final @Nullable Timer acquired;

		private final @Nullable Timer timedOut;

		private final @Nullable Timer failed;

		private final @Nullable LongTaskTimer active;

		private final @Nullable Counter lost;

		private Named(@Nullable Timer acquired, @Nullable Timer timedOut, @Nullable Timer failed,
				@Nullable LongTaskTimer active, @Nullable Counter lost) {
			this.acquired = acquired;
			this.timedOut = timedOut;
			this.failed = failed;
			this.active = active;
			this.lost = lost;
		}

		LongTaskTimer.@Nullable Sample acquired(long nanos) {
			if (this.acquired == null || this.active == null) {
				return null;
			}
			this.acquired.record(nanos, TimeUnit.NANOSECONDS);
			return this.active.start();
		}

		void timedOut(long nanos) {
			if (this.timedOut != null) {
				this.timedOut.record(nanos, TimeUnit.NANOSECONDS);
			}
		}

		void failed(long nanos) {
			if (this.failed != null) {
				this.failed.record(nanos, TimeUnit.NANOSECONDS);
			}
		}

		void lost() {
			if (this.lost != null) {
				this.lost.increment();
			}
		}

	}

}
