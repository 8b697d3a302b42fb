package io.phonon.channel;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Runs bodies on an executor, each with a channel it shares with its starter (spool's
 * {@code go}): what the body puts, the starter gets, and the reverse. When the body
 * returns, its side of the channel is closed; when it throws, the channel carries the
 * error to the starter; either way the starter can send nothing more. The starter closing
 * (or failing) its end ends the coroutine: a body parked in {@code put} or {@code get}
 * wakes with {@link ChannelClosedException}, which ends the body without recording an
 * error. {@code @AsyncChannel} methods run through the application's instance, on the
 * application's task executor (virtual threads when
 * {@code spring.threads.virtual.enabled=true}).
 */
public final class Coroutines {

	private final Executor executor;

	/** The Observation of one body's run. */
	static final String BODY_OBSERVATION = "phonon.channel.coroutine";

	private static final String UNNAMED = "unnamed";

	private final AtomicInteger active = new AtomicInteger();

	private final ObservationRegistry observations;

	/**
	 * Creates coroutines on an executor, without Observations.
	 * @param executor where bodies run; each needs a thread of its own while it runs
	 * @param meterRegistry where the {@code phonon.channel.coroutines.active} gauge goes,
	 * or {@code null}
	 */
	public Coroutines(Executor executor, @Nullable MeterRegistry meterRegistry) {
		this(executor, meterRegistry, ObservationRegistry.NOOP);
	}

	/**
	 * Creates coroutines on an executor.
	 * @param executor where bodies run; each needs a thread of its own while it runs
	 * @param meterRegistry where the {@code phonon.channel.coroutines.active} gauge goes,
	 * or {@code null}
	 * @param observations where each body's run is observed
	 * ({@code phonon.channel.coroutine}, key value {@code name}), as a child of the
	 * Observation current where it was started
	 */
	public Coroutines(Executor executor, @Nullable MeterRegistry meterRegistry, ObservationRegistry observations) {
		this.executor = Objects.requireNonNull(executor, "executor");
		this.observations = Objects.requireNonNull(observations, "observations");
		if (meterRegistry != null) {
			Gauge.builder("phonon.channel.coroutines.active", this.active, AtomicInteger::get)
				.description("Coroutine bodies (@AsyncChannel methods) running now")
				.register(meterRegistry);
		}
	}

	/**
	 * Starts a body with a channel of 16 values each way.
	 * @param <T> the values' type
	 * @param body the body, given its end of the channel (also {@link Channels#self()})
	 * @return the starter's end
	 */
	public <T> Channel<T> go(Body<T> body) {
		return go(16, body);
	}

	/**
	 * Starts a body.
	 * @param <T> the values' type
	 * @param capacity the room each way: 0 for rendezvous, {@link Integer#MAX_VALUE} for
	 * unlimited
	 * @param body the body, given its end of the channel (also {@link Channels#self()})
	 * @return the starter's end
	 */
	public <T> Channel<T> go(int capacity, Body<T> body) {
		return go(UNNAMED, capacity, body);
	}

	/**
	 * Starts a named body: the name is the {@code name} key value of its Observation, so
	 * it must be one of few (such as the method's), never a value.
	 * @param <T> the values' type
	 * @param name what the body is
	 * @param capacity the room each way: 0 for rendezvous, {@link Integer#MAX_VALUE} for
	 * unlimited
	 * @param body the body, given its end of the channel (also {@link Channels#self()})
	 * @return the starter's end
	 */
	public <T> Channel<T> go(String name, int capacity, Body<T> body) {
		DuplexChannel<T> starter = DuplexChannel.forCaller(capacity);
		DuplexChannel<T> own = starter.body();
		// Made on the starter's thread, so the Observation current there is its parent.
		Observation observation = Observation.createNotStarted(BODY_OBSERVATION, this.observations)
			.lowCardinalityKeyValue("name", name);
		this.executor.execute(() -> {
			this.active.incrementAndGet();
			observation.start();
			try (Observation.Scope scope = observation.openScope()) {
				Channels.runAs(own, body);
				own.bodyEnded(null);
			}
			catch (ChannelClosedException ex) {
				if (own.endedByCaller()) {
					own.bodyEnded(null); // the caller ended the coroutine: the body
											// stopping is no error
				}
				else {
					failed(own, observation, ex);
				}
			}
			catch (Throwable ex) {
				failed(own, observation, ex);
				if (ex instanceof Error error) {
					throw error;
				}
			}
			finally {
				observation.stop();
				this.active.decrementAndGet();
			}
		});
		return starter;
	}

	private static void failed(DuplexChannel<?> own, Observation observation, Throwable ex) {
		observation.error(ex);
		own.bodyEnded(ex);
	}

	/**
	 * A coroutine's body.
	 *
	 * @param <T> the values' type
	 */
	@FunctionalInterface
	public interface Body<T> {

		/**
		 * Runs the body.
		 * @param self its end of the channel
		 * @throws Exception anything: the channel carries it to the starter
		 */
		void run(Channel<T> self) throws Exception;

	}

	/**
	 * Returns how many bodies run now.
	 * @return the count
	 */
	public int active() {
		return this.active.get();
	}

}
