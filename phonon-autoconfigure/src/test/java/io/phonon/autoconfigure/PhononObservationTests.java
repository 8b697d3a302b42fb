package io.phonon.autoconfigure;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.phonon.PhononBackendException;
import io.phonon.annotation.AsyncChannel;
import io.phonon.backend.redis.RedisBackend;
import io.phonon.channel.Channel;
import io.phonon.channel.ChannelClosedException;
import io.phonon.channel.Channels;
import io.phonon.dogpile.DogpileCache;
import io.phonon.dogpile.Dogpiles;
import io.phonon.lock.Lease;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import io.phonon.lock.ReactiveLockService;
import io.phonon.testsupport.TestRedis;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Where the application has an {@link ObservationRegistry}, lock acquisition, dogpile
 * regeneration and {@code @AsyncChannel} bodies are Observations with low-cardinality key
 * values only: never a lock id, a cache key or a value.
 */
class PhononObservationTests {

	private final TestObservationRegistry observations = TestObservationRegistry.create();

	/**
	 * The contexts of the Observations that stopped, so a test sees none left running.
	 */
	private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

	PhononObservationTests() {
		this.observations.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public void onStop(Observation.Context context) {
				PhononObservationTests.this.stopped.add(context);
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

		});
	}

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PhononAutoConfiguration.class, PhononDogpileAutoConfiguration.class,
				PhononChannelAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
		.withBean(ObservationRegistry.class, () -> this.observations)
		.withBean(Spools.class);

	@Test
	void lockAcquisitionIsObservedWithItsOutcome() {
		this.runner.run((context) -> {
			LockService locks = context.getBean(LockService.class);
			LockOptions report = LockOptions.defaults().withName("report");
			try (Lease lease = locks.acquire("report:2026-11", report)) {
				assertThat(locks.tryAcquire("report:2026-11", report.withWait(Duration.ofMillis(20)))).isEmpty();
			}
			assertThat(this.observations).hasNumberOfObservationsWithNameEqualTo("phonon.lock.acquisition", 2)
				.hasAnObservation((observation) -> observation.hasNameEqualTo("phonon.lock.acquisition")
					.hasLowCardinalityKeyValue("name", "report")
					.hasLowCardinalityKeyValue("backend", "memory")
					.hasLowCardinalityKeyValue("outcome", "acquired"))
				.hasAnObservation((observation) -> observation.hasNameEqualTo("phonon.lock.acquisition")
					.hasLowCardinalityKeyValue("outcome", "timeout"));
			assertOnlyLowCardinalityKeyValuesWithout("report:2026-11");
		});
	}

	@Test
	void aReactiveAcquisitionIsObservedAsAChildOfTheSubscribersObservation() {
		this.runner.run((context) -> {
			ReactiveLockService locks = context.getBean(ReactiveLockService.class);
			Observation request = Observation.start("http.server.requests", this.observations);
			String done = locks.withLock("report:2026-12", LockOptions.defaults().withName("report"), Mono.just("done"))
				.contextWrite((reactorContext) -> reactorContext.put("micrometer.observation", request))
				.block(Duration.ofMinutes(1));
			request.stop();
			assertThat(done).isEqualTo("done");
			assertThat(this.observations)
				.hasAnObservation((observation) -> observation.hasNameEqualTo("phonon.lock.acquisition")
					.hasLowCardinalityKeyValue("outcome", "acquired")
					.hasParentObservationEqualTo(request));
		});
	}

	@Test
	void aFailedAcquisitionIsObservedWithItsError() {
		LettuceConnectionFactory nowhere = TestRedis.connect("127.0.0.1", TestRedis.freePort(), Duration.ofMillis(500));
		try (LockBackend backend = RedisBackend.locks(nowhere, "down")) {
			LockService locks = LockService.builder(backend).observationRegistry(this.observations).build();
			assertThatExceptionOfType(PhononBackendException.class)
				.isThrownBy(() -> locks.tryAcquire("records:1", LockOptions.defaults()));
			assertThat(this.observations).hasSingleObservationThat()
				.hasNameEqualTo("phonon.lock.acquisition")
				.hasBeenStopped()
				.hasLowCardinalityKeyValue("backend", "redis")
				.hasLowCardinalityKeyValue("outcome", "failed")
				.assertThatError()
				.isInstanceOf(PhononBackendException.class);
		}
		finally {
			nowhere.destroy();
		}
	}

	@Test
	void regenerationIsObservedAndIsCurrentWhileTheValueIsComputed() {
		this.runner.run((context) -> {
			DogpileCache<String> reports = context.getBean(Dogpiles.class).cache("sales-report", String.class);
			List<String> currentWhileComputing = new ArrayList<>();
			assertThat(reports.get("2026-11", () -> {
				currentWhileComputing.add(this.observations.getCurrentObservation().getContext().getName());
				return "report";
			})).isEqualTo("report");
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> reports.get("2026-12", () -> {
				throw new IOException("warehouse down");
			}));
			assertThat(currentWhileComputing).containsExactly("phonon.dogpile.regeneration");
			assertThat(this.observations).hasNumberOfObservationsWithNameEqualTo("phonon.dogpile.regeneration", 2)
				.hasAnObservation((observation) -> observation.hasNameEqualTo("phonon.dogpile.regeneration")
					.hasLowCardinalityKeyValue("name", "sales-report")
					.hasLowCardinalityKeyValue("outcome", "success"))
				.hasAnObservation((observation) -> observation.hasNameEqualTo("phonon.dogpile.regeneration")
					.hasLowCardinalityKeyValue("outcome", "failure")
					.assertThatError()
					.hasMessage("warehouse down"));
			assertOnlyLowCardinalityKeyValuesWithout("2026-11", "2026-12");
		});
	}

	@Test
	void asyncChannelBodiesAreObservedAsChildrenOfTheStartersObservation() {
		this.runner.run((context) -> {
			Spools spools = context.getBean(Spools.class);
			Observation request = Observation.start("request", this.observations);
			Channel<Integer> numbers;
			Channel<Integer> failing;
			try (Observation.Scope scope = request.openScope()) {
				numbers = spools.numbers(3);
				failing = spools.failing();
			}
			request.stop();
			List<Integer> received = new ArrayList<>();
			numbers.forEach(received::add);
			assertThat(received).containsExactly(1, 2, 3);
			assertThatExceptionOfType(ChannelClosedException.class).isThrownBy(failing::get);
			// The channel closes just before the body's Observation stops.
			await().until(() -> this.stopped.size() == 3);
			assertThat(this.observations)
				.hasAnObservation((observation) -> observation.hasNameEqualTo("phonon.channel.coroutine")
					.hasLowCardinalityKeyValue("name", "Spools.numbers")
					.hasParentObservationEqualTo(request)
					.doesNotHaveError())
				.hasAnObservation((observation) -> observation.hasNameEqualTo("phonon.channel.coroutine")
					.hasLowCardinalityKeyValue("name", "Spools.failing")
					.hasParentObservationEqualTo(request)
					.assertThatError()
					.hasMessage("source gone"));
			assertOnlyLowCardinalityKeyValuesWithout("source gone");
		});
	}

	private void assertOnlyLowCardinalityKeyValuesWithout(String... evaluatedKeys) {
		assertThat(this.observations).hasHandledContextsThatSatisfy((contexts) -> {
			assertThat(this.stopped).as("stopped").containsExactlyInAnyOrderElementsOf(contexts);
			for (Observation.Context observed : contexts) {
				assertThat(observed.getHighCardinalityKeyValues()).as(observed.getName()).isEmpty();
				assertThat(observed.getLowCardinalityKeyValues().stream().map(KeyValue::getValue))
					.as(observed.getName())
					.doesNotContain(evaluatedKeys);
			}
		});
	}

	static class Spools {

		@AsyncChannel
		public Channel<Integer> numbers(int count) throws InterruptedException {
			Channel<Integer> out = Channels.self();
			for (int i = 1; i <= count; i++) {
				out.put(i);
			}
			return out;
		}

		@AsyncChannel
		public Channel<Integer> failing() throws IOException {
			throw new IOException("source gone");
		}

	}

}
