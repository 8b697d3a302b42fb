package io.phonon.dogpile;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phonon.backend.memory.MemoryBackend;
import org.junit.jupiter.api.Test;

import org.springframework.core.ParameterizedTypeReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Background ({@code async}) regeneration is bounded: however many stale keys are read at once,
 * at most the executor's threads run regenerations, and what the executor cannot take is
 * skipped and counted while the stale value is served.
 */
class DogpileBackgroundTests {

	private static final int KEYS = 1_500;

	@Test
	void manyStaleKeysStartAtMostTheExecutorsThreadsAndTheRestAreSkippedAndCounted() throws Exception {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		CountDownLatch release = new CountDownLatch(1);
		Dogpiles dogpiles = Dogpiles.builder(MemoryBackend.dogpiles(), null).meterRegistry(registry).build();
		try (AutoCloseable closing = (AutoCloseable) dogpiles) {
			DogpileCache<String> cache = dogpiles.cache("reports", new ParameterizedTypeReference<String>() {
			}, DogpileOptions.expireAfter(Duration.ofMillis(1)).withMaxStale(Duration.ofHours(1)).withAsync(true));
			for (int key = 0; key < KEYS; key++) {
				assertThat(cache.get("k" + key, () -> "first")).isEqualTo("first");
			}
			Thread.sleep(20); // past the freshness of every value
			for (int key = 0; key < KEYS; key++) {
				assertThat(cache.get("k" + key, () -> {
					release.await(1, TimeUnit.MINUTES);
					return "second";
				})).as("the stale value, served at once").isEqualTo("first");
			}
			long regenerating = Thread.getAllStackTraces()
				.keySet()
				.stream()
				.filter((thread) -> thread.getName().startsWith("phonon-dogpile-regenerate"))
				.count();
			assertThat(regenerating).isLessThanOrEqualTo(Dogpiles.Builder.REGENERATION_THREADS);
			assertThat(registry.get("phonon.dogpile.regeneration.skipped").tag("name", "reports").counter().count())
				.isEqualTo(KEYS - Dogpiles.Builder.REGENERATION_THREADS - Dogpiles.Builder.REGENERATION_QUEUE);
			release.countDown();
		}
	}

}
