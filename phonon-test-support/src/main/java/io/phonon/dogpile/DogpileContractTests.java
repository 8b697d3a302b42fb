package io.phonon.dogpile;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phonon.JacksonJsonCodec;
import io.phonon.PhononStoppedException;
import io.phonon.Stoppable;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The contract of dogpile caches, on one store per subclass. Two {@link Dogpiles} over
 * one store and one lock engine stand for two processes sharing values and regeneration
 * locks: on a shared store (Redis, JDBC) they might as well be two JVMs; on the memory
 * store, two parts of one.
 */
public abstract class DogpileContractTests {

	private static final Duration SHORT = Duration.ofMillis(200);

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private DogpileStore<?> store;

	private LockBackend locks;

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	/** Returns a fresh store (its own namespace). */
	protected abstract DogpileStore<?> createStore(String namespace);

	/** Returns the lock engine of the same backend, in the same namespace. */
	protected abstract LockBackend createLocks(String namespace);

	@BeforeEach
	void createStore() {
		String namespace = "dogpile-" + UUID.randomUUID();
		this.store = createStore(namespace);
		this.locks = createLocks(namespace);
	}

	@AfterEach
	void close() throws Exception {
		this.threads.shutdownNow();
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
		this.store.close();
		this.locks.close();
	}

	private Dogpiles process() {
		LockService lockService = LockService.builder(this.locks).build();
		this.closeables.add((AutoCloseable) lockService);
		return Dogpiles.builder(this.store, lockService)
			.codec(new JacksonJsonCodec(JsonMapper.builder().build()))
			.meterRegistry(this.meters)
			.build();
	}

	private static DogpileCache<String> strings(Dogpiles process, DogpileOptions options) {
		return process.cache("strings", new ParameterizedTypeReference<String>() {
		}, options);
	}

	private double gets(String result) {
		var counter = this.meters.find("phonon.dogpile.get").tag("name", "strings").tag("result", result).counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Test
	void whileTheApplicationStopsAStaleValueIsServedAndAMissFailsFast() throws Exception {
		LockService lockService = LockService.builder(this.locks).build();
		this.closeables.add((AutoCloseable) lockService);
		Dogpiles process = Dogpiles.builder(this.store, lockService)
			.codec(new JacksonJsonCodec(JsonMapper.builder().build()))
			.build();
		DogpileCache<String> cache = strings(process, DogpileOptions.expireAfter(SHORT));
		assertThat(cache.get("k", () -> "v1")).isEqualTo("v1");
		Thread.sleep(SHORT.toMillis() * 2);
		((Stoppable) lockService).stop(System.nanoTime());
		assertThat(cache.get("k", () -> "v2")).as("stale, not regenerated while stopping").isEqualTo("v1");
		assertThatExceptionOfType(PhononStoppedException.class).isThrownBy(() -> cache.get("missing", () -> "x"));
	}

	@Test
	void theFirstMissIsComputedOnceAndEveryCallerGetsItsResult() throws Exception {
		DogpileOptions options = DogpileOptions.expireAfter(Duration.ofMinutes(1));
		List<DogpileCache<String>> caches = List.of(strings(process(), options), strings(process(), options));
		AtomicInteger computations = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		List<Future<String>> results = new ArrayList<>();
		for (int i = 0; i < 16; i++) {
			DogpileCache<String> cache = caches.get(i % 2);
			results.add(this.threads.submit(() -> {
				start.await();
				return cache.get("k", () -> {
					computations.incrementAndGet();
					Thread.sleep(300);
					return "v1";
				});
			}));
		}
		start.countDown();
		for (Future<String> result : results) {
			assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("v1");
		}
		assertThat(computations).hasValue(1);
		assertThat(gets("miss")).isEqualTo(1);
		assertThat(gets("wait")).isEqualTo(15);
	}

	@Test
	void aFreshValueIsReturnedWithoutCallingTheCreator() throws Exception {
		DogpileCache<String> cache = strings(process(), DogpileOptions.expireAfter(Duration.ofMinutes(1)));
		cache.get("k", () -> "v1");
		assertThat(strings(process(), DogpileOptions.expireAfter(Duration.ofMinutes(1))).get("k", () -> "other"))
			.isEqualTo("v1");
		assertThat(cache.get("k", () -> "other")).isEqualTo("v1");
		assertThat(gets("fresh")).isEqualTo(2);
	}

	@Test
	void aStaleValueIsRegeneratedByOneCallerWhileEveryOtherGetsItAtOnce() throws Exception {
		DogpileOptions options = DogpileOptions.expireAfter(SHORT);
		List<DogpileCache<String>> caches = List.of(strings(process(), options), strings(process(), options));
		caches.get(0).get("k", () -> "v1");
		Thread.sleep(SHORT.toMillis() + 100);
		CountDownLatch regenerating = new CountDownLatch(1);
		CountDownLatch finish = new CountDownLatch(1);
		Future<String> regenerator = this.threads.submit(() -> caches.get(0).get("k", () -> {
			regenerating.countDown();
			finish.await();
			return "v2";
		}));
		assertThat(regenerating.await(10, TimeUnit.SECONDS)).isTrue();
		AtomicInteger others = new AtomicInteger();
		List<Future<String>> stale = new ArrayList<>();
		for (int i = 0; i < 16; i++) {
			DogpileCache<String> cache = caches.get(i % 2);
			stale.add(this.threads.submit(() -> cache.get("k", () -> {
				others.incrementAndGet();
				return "other";
			})));
		}
		// They answer while the regeneration is still held up: nobody waits for it.
		for (Future<String> result : stale) {
			assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("v1");
		}
		assertThat(others).hasValue(0);
		finish.countDown();
		assertThat(regenerator.get(10, TimeUnit.SECONDS)).isEqualTo("v2");
		assertThat(caches.get(0).get("k", () -> "other")).isEqualTo("v2");
		assertThat(gets("stale")).isEqualTo(16);
		assertThat(this.meters.get("phonon.dogpile.regenerate").tag("outcome", "success").timer().count()).isEqualTo(2);
	}

	@Test
	void aFailedRegenerationReachesItsCallerAndTheStaleValueStays() throws Exception {
		DogpileCache<String> cache = strings(process(), DogpileOptions.expireAfter(SHORT));
		cache.get("k", () -> "v1");
		Thread.sleep(SHORT.toMillis() + 100);
		IOException failure = new IOException("report service down");
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> cache.get("k", () -> {
			throw failure;
		})).isSameAs(failure);
		assertThat(cache.get("k", () -> "v2")).as("the next caller regenerates").isEqualTo("v2");
		assertThat(this.meters.get("phonon.dogpile.regenerate").tag("outcome", "failure").timer().count()).isEqualTo(1);
	}

	@Test
	void whileOneRegenerationFailsOthersKeepGettingTheStaleValue() throws Exception {
		DogpileOptions options = DogpileOptions.expireAfter(SHORT);
		DogpileCache<String> cache = strings(process(), options);
		cache.get("k", () -> "v1");
		Thread.sleep(SHORT.toMillis() + 100);
		CountDownLatch failing = new CountDownLatch(1);
		CountDownLatch fail = new CountDownLatch(1);
		Future<String> regenerator = this.threads.submit(() -> cache.get("k", () -> {
			failing.countDown();
			fail.await();
			throw new IllegalStateException("down");
		}));
		assertThat(failing.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(cache.get("k", () -> "other")).isEqualTo("v1");
		fail.countDown();
		assertThatExceptionOfType(java.util.concurrent.ExecutionException.class)
			.isThrownBy(() -> regenerator.get(10, TimeUnit.SECONDS))
			.withCauseInstanceOf(IllegalStateException.class);
		assertThat(this.store.get("strings", "k")).as("the stale value stays").isNotNull();
	}

	@Test
	void pastMaxStaleTheValueIsNotServedAndTheCallerComputesAnew() throws Exception {
		DogpileCache<String> cache = strings(process(),
				DogpileOptions.expireAfter(Duration.ofMillis(100)).withMaxStale(Duration.ofMillis(100)));
		cache.get("k", () -> "v1");
		Thread.sleep(500);
		assertThat(this.store.get("strings", "k")).isNull();
		assertThat(cache.get("k", () -> "v2")).isEqualTo("v2");
		assertThat(gets("miss")).isEqualTo(2);
		assertThat(gets("stale")).isZero();
	}

	@Test
	void withAsyncEvenTheRegeneratingCallerGetsTheStaleValue() throws Exception {
		DogpileCache<String> cache = strings(process(), DogpileOptions.expireAfter(SHORT).withAsync(true));
		cache.get("k", () -> "v1");
		Thread.sleep(SHORT.toMillis() + 100);
		CountDownLatch finish = new CountDownLatch(1);
		assertThat(cache.get("k", () -> {
			finish.await();
			return "v2";
		})).isEqualTo("v1");
		finish.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> "v2".equals(cache.get("k", () -> "other")));
	}

	@Test
	void aSoftExpiryServesTheOldValueWhileOneRegeneratesAndAHardOneMakesCallersCompute() throws Exception {
		DogpileCache<String> cache = strings(process(), DogpileOptions.expireAfter(Duration.ofHours(1)));
		cache.get("k", () -> "v1");
		cache.expire("k");
		CountDownLatch regenerating = new CountDownLatch(1);
		CountDownLatch finish = new CountDownLatch(1);
		Future<String> regenerator = this.threads.submit(() -> cache.get("k", () -> {
			regenerating.countDown();
			finish.await();
			return "v2";
		}));
		assertThat(regenerating.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(cache.get("k", () -> "other")).isEqualTo("v1");
		finish.countDown();
		assertThat(regenerator.get(10, TimeUnit.SECONDS)).isEqualTo("v2");
		cache.invalidate("k");
		assertThat(this.store.get("strings", "k")).isNull();
		assertThat(cache.get("k", () -> "v3")).isEqualTo("v3");
	}

	@Test
	void nullIsAValueLikeAnyOther() throws Exception {
		DogpileCache<String> cache = strings(process(), DogpileOptions.expireAfter(Duration.ofMinutes(1)));
		AtomicInteger computations = new AtomicInteger();
		assertThat(cache.get("k", () -> {
			computations.incrementAndGet();
			return null;
		})).isNull();
		assertThat(cache.get("k", () -> "other")).isNull();
		assertThat(computations).hasValue(1);
	}

	@Test
	void genericValuesComeBackWithTheirTypes() throws Exception {
		ParameterizedTypeReference<List<Report>> reports = new ParameterizedTypeReference<>() {
		};
		DogpileOptions options = DogpileOptions.expireAfter(Duration.ofMinutes(1));
		List<Report> made = List.of(new Report("2026-10", List.of(3, 4)), new Report("2026-11", List.of(5)));
		process().cache("reports", reports, options).get("all", () -> made);
		List<Report> read = process().cache("reports", reports, options).get("all", () -> List.of());
		assertThat(read).isEqualTo(made);
		assertThat(read).allSatisfy((report) -> assertThat(report).isInstanceOf(Report.class));
	}

	@Test
	void withXFetchAFreshValueIsRegeneratedBeforeItExpires() throws Exception {
		DogpileCache<String> cache = strings(process(),
				DogpileOptions.expireAfter(Duration.ofMinutes(1)).withBeta(1e9));
		AtomicInteger computations = new AtomicInteger();
		cache.get("k", () -> {
			Thread.sleep(20);
			return "v" + computations.incrementAndGet();
		});
		assertThat(cache.get("k", () -> "v" + computations.incrementAndGet())).isEqualTo("v2");
		assertThat(gets("stale")).isZero();
	}

	@Test
	void keysOfEveryKindAreKeptApartAndCounted() throws Exception {
		DogpileCache<String> cache = strings(process(), DogpileOptions.expireAfter(Duration.ofMinutes(1)));
		List<String> keys = List.of("a", "A", "../etc", "é ü 日本", "x".repeat(5000), "");
		for (String key : keys) {
			cache.get(key, () -> "value of " + key.length() + key);
		}
		for (String key : keys) {
			assertThat(cache.get(key, () -> "other")).isEqualTo("value of " + key.length() + key);
		}
		assertThat(this.store.size("strings")).isEqualTo(keys.size());
	}

	@Test
	void aCacheNameHoldsOneKindOfValue() {
		Dogpiles process = process();
		strings(process, DogpileOptions.expireAfter(Duration.ofMinutes(1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> strings(process, DogpileOptions.expireAfter(Duration.ofMinutes(2))))
			.withMessageContaining("'strings'")
			.withMessageContaining("its own cache name");
	}

	/** A value with a generic field, as an application's report would be. */
	public record Report(String month, List<Integer> totals) {
	}

}
