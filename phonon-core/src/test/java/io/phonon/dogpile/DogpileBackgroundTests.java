package io.phonon.dogpile;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phonon.backend.memory.MemoryBackend;
import org.junit.jupiter.api.Test;

import org.springframework.core.ParameterizedTypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Background ({@code async}) regeneration is bounded: however many stale keys are read at
 * once, at most the executor's threads run regenerations, and what the executor cannot
 * take is skipped and counted while the stale value is served.
 */
class DogpileBackgroundTests {

	private static final int KEYS = 1_500;

	@Test
	void manyStaleKeysStartAtMostTheExecutorsThreadsAndTheRestAreSkippedAndCounted() throws Exception {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		CountDownLatch release = new CountDownLatch(1);
		Set<Thread> regenerators = ConcurrentHashMap.newKeySet();
		AtomicInteger regenerated = new AtomicInteger();
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
					regenerators.add(Thread.currentThread());
					release.await(1, TimeUnit.MINUTES);
					regenerated.incrementAndGet();
					return "second";
				})).as("the stale value, served at once").isEqualTo("first");
			}
			int taken = Dogpiles.Builder.REGENERATION_THREADS + Dogpiles.Builder.REGENERATION_QUEUE;
			assertThat(registry.get("phonon.dogpile.regeneration.skipped").tag("name", "reports").counter().count())
				.isEqualTo(KEYS - taken);
			release.countDown();
			await().atMost(Duration.ofMinutes(1)).until(() -> regenerated.get() == taken);
			assertThat(regenerators).as("threads that ran a regeneration")
				.hasSizeLessThanOrEqualTo(Dogpiles.Builder.REGENERATION_THREADS);
		}
	}

}
