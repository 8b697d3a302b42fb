package io.phonon.dogpile;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The instrumentation of one cache: the meters {@code phonon.dogpile.get} by result and
 * {@code phonon.dogpile.regenerate} by outcome, registered once so a call only
 * increments, and the {@code phonon.dogpile.regeneration} Observation of each
 * computation.
 */
final class DogpileMeters {

	/**
	 * The Observation of a computation, named apart from the
	 * {@code phonon.dogpile.regenerate} timer.
	 */
	static final String REGENERATION_OBSERVATION = "phonon.dogpile.regeneration";

	private final String name;

	private final ObservationRegistry observations;

	private final @Nullable Counter fresh;

	private final @Nullable Counter stale;

	private final @Nullable Counter miss;

	private final @Nullable Counter wait;

	private final @Nullable Counter skipped;

	private final @Nullable Timer succeeded;

	private final @Nullable Timer failed;

	DogpileMeters(@Nullable MeterRegistry registry, ObservationRegistry observations, String name) {
		this.name = name;
		this.observations = observations;
		this.fresh = get(registry, name, "fresh");
		this.stale = get(registry, name, "stale");
		this.miss = get(registry, name, "miss");
		this.wait = get(registry, name, "wait");
		this.skipped = (registry != null) ? Counter.builder("phonon.dogpile.regeneration.skipped")
			.description("Background regenerations skipped because the executor was full; the stale value was served")
			.tag("name", name)
			.register(registry) : null;
		this.succeeded = regenerate(registry, name, "success");
		this.failed = regenerate(registry, name, "failure");
	}

	private static @Nullable Counter get(@Nullable MeterRegistry registry, String name, String result) {
		return (registry != null) ? Counter.builder("phonon.dogpile.get")
			.description("Dogpile cache reads: fresh, stale (served while another regenerates), miss (this caller"
					+ " computed the value) or wait (this caller waited for another's computation)")
			.tag("name", name)
			.tag("result", result)
			.register(registry) : null;
	}

	private static @Nullable Timer regenerate(@Nullable MeterRegistry registry, String name, String outcome) {
		return (registry != null) ? Timer.builder("phonon.dogpile.regenerate")
			.description("Time to compute a dogpile cache value")
			.tag("name", name)
			.tag("outcome", outcome)
			.register(registry) : null;
	}

	void fresh() {
		increment(this.fresh);
	}

	void stale() {
		increment(this.stale);
	}

	void miss() {
		increment(this.miss);
	}

	void waited() {
		increment(this.wait);
	}

	void skipped() {
		increment(this.skipped);
	}

	/** Starts timing and observing one computation of a value, on the calling thread. */
	Regeneration regeneration() {
		Observation observation = Observation.createNotStarted(REGENERATION_OBSERVATION, this.observations)
			.lowCardinalityKeyValue("name", this.name)
			.start();
		return new Regeneration(observation, observation.openScope(), System.nanoTime());
	}

	/**
	 * One computation in progress: ended once, by {@link #succeeded()} or
	 * {@link #failed}.
	 */
	final class Regeneration {

		private final Observation observation;

		private final Observation.Scope scope;

		private final long start;

		private Regeneration(Observation observation, Observation.Scope scope, long start) {
			this.observation = observation;
			this.scope = scope;
			this.start = start;
		}

		/**
		 * Ends a computation that returned a value, and returns how long it took in
		 * nanoseconds.
		 */
		long succeeded() {
			return end(DogpileMeters.this.succeeded, "success", null);
		}

		void failed(Throwable failure) {
			end(DogpileMeters.this.failed, "failure", failure);
		}

		private long end(@Nullable Timer timer, String outcome, @Nullable Throwable failure) {
			long took = System.nanoTime() - this.start;
			if (timer != null) {
				timer.record(took, TimeUnit.NANOSECONDS);
			}
			this.scope.close();
			this.observation.lowCardinalityKeyValue("outcome", outcome);
			if (failure != null) {
				this.observation.error(failure);
			}
			this.observation.stop();
			return took;
		}

	}

	private static void increment(@Nullable Counter counter) {
		if (counter != null) {
			counter.increment();
		}
	}

}
