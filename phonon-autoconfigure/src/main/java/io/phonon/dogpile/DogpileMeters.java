package io.phonon.dogpile;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * The meters of one cache: {@code phonon.dogpile.get} by result and
 * {@code phonon.dogpile.regenerate} by outcome, registered once so a call only increments.
 */
final class DogpileMeters {

	private final @Nullable Counter fresh;

	private final @Nullable Counter stale;

	private final @Nullable Counter miss;

	private final @Nullable Counter wait;

	private final @Nullable Timer succeeded;

	private final @Nullable Timer failed;

	DogpileMeters(@Nullable MeterRegistry registry, String name) {
		this.fresh = get(registry, name, "fresh");
		this.stale = get(registry, name, "stale");
		this.miss = get(registry, name, "miss");
		this.wait = get(registry, name, "wait");
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

	void regenerated(long nanos, boolean success) {
		Timer timer = success ? this.succeeded : this.failed;
		if (timer != null) {
			timer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
		}
	}

	private static void increment(@Nullable Counter counter) {
		if (counter != null) {
			counter.increment();
		}
	}

}
