package io.phonon.interceptor;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.phonon.annotation.Dogpile;
import io.phonon.autoconfigure.PhononAutoConfiguration;
import io.phonon.autoconfigure.PhononDogpileAutoConfiguration;
import io.phonon.interceptor.DogpileTests.Report;
import io.phonon.testsupport.TestRedis;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @Dogpile} on methods returning a {@code Mono}, through the auto-configured
 * proxy: one computation per key, stale values served while one subscription regenerates,
 * judged by what ran and what each subscriber got.
 */
class ReactiveDogpileTests {

	private static final Duration TIMEOUT = Duration.ofMinutes(1);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PhononAutoConfiguration.class, PhononDogpileAutoConfiguration.class,
				JacksonAutoConfiguration.class))
		.withUserConfiguration(ReportsConfiguration.class);

	@Test
	void aMonosValueIsComputedOnSubscriptionAndThenServedFromTheCache() {
		this.runner.run((context) -> {
			Reports reports = context.getBean(Reports.class);
			Mono<Integer> total = reports.total("2026-10");
			assertThat(reports.runs()).as("nothing runs before a subscription").hasValue(0);
			assertThat(total.block(TIMEOUT)).isEqualTo(1);
			assertThat(reports.total("2026-10").block(TIMEOUT)).isEqualTo(1);
			assertThat(reports.runs()).hasValue(1);
		});
	}

	@Test
	void concurrentSubscribersOfAMissingValueShareOneComputation() {
		this.runner.run((context) -> {
			Reports reports = context.getBean(Reports.class);
			Mono<Integer> total = reports.total("2026-11");
			List<Integer> totals = Flux.merge(total, total, total, total, total, total).collectList().block(TIMEOUT);
			assertThat(totals).hasSize(6).containsOnly(1);
			assertThat(reports.runs()).hasValue(1);
		});
	}

	@Test
	void aStaleValueIsServedAtOnceWhileOneSubscriptionRegenerates() {
		this.runner.withPropertyValues("phonon.dogpile.expire-after=100ms").run((context) -> {
			Reports reports = context.getBean(Reports.class);
			assertThat(reports.gated().block(TIMEOUT)).isEqualTo(1);
			Thread.sleep(200); // past the freshness: stale from now on
			CompletableFuture<Integer> regenerating = reports.gated().toFuture();
			await().atMost(TIMEOUT).until(() -> reports.runs().get() == 2);
			// The regeneration waits at its gate: every read meanwhile gets the stale
			// value.
			List<Integer> meanwhile = Flux.merge(reports.gated(), reports.gated(), reports.gated())
				.collectList()
				.block(TIMEOUT);
			assertThat(meanwhile).containsOnly(1);
			reports.openGate();
			assertThat(regenerating.get()).isEqualTo(2);
			assertThat(reports.runs()).as("regenerated once").hasValue(2);
		});
	}

	@Test
	void anEmptyMonoIsNoValueAndTheMethodsCheckedExceptionReachesTheSubscriber() {
		this.runner.run((context) -> {
			Reports reports = context.getBean(Reports.class);
			assertThat(reports.nothing().blockOptional(TIMEOUT)).isEmpty();
			assertThat(reports.failing()
				.onErrorResume((ex) -> Mono.just(ex.getClass().getName() + ": " + ex.getMessage()))
				.block(TIMEOUT)).isEqualTo("java.io.IOException: report service down");
		});
	}

	@Test
	void genericValuesComeBackTypedThroughRedis() {
		this.runner.withBean(RedisConnectionFactory.class, TestRedis::newConnectionFactory)
			.withPropertyValues("phonon.backend=redis", "phonon.namespace=dogpile-" + System.nanoTime())
			.run((context) -> {
				Reports reports = context.getBean(Reports.class);
				reports.monthly("2026-10").block(TIMEOUT);
				List<Report> cached = reports.monthly("2026-10").block(TIMEOUT);
				assertThat(cached).singleElement().isInstanceOf(Report.class).isEqualTo(new Report("2026-10", 1));
				assertThat(reports.runs()).hasValue(1);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class ReportsConfiguration {

		@Bean
		Reports reports() {
			return new Reports();
		}

	}

	static class Reports {

		private final AtomicInteger runs = new AtomicInteger();

		private final Sinks.Empty<Void> gate = Sinks.empty();

		// Read through the proxy, which has no fields of its own.
		public AtomicInteger runs() {
			return this.runs;
		}

		public void openGate() {
			this.gate.tryEmitEmpty();
		}

		@Dogpile(name = "totals", key = "#month")
		public Mono<Integer> total(String month) {
			return Mono.fromCallable(this.runs::incrementAndGet).delayElement(Duration.ofMillis(200));
		}

		/** The first run returns at once, the next ones when the gate opens. */
		@Dogpile(name = "gated")
		public Mono<Integer> gated() {
			int run = this.runs.incrementAndGet();
			return (run == 1) ? Mono.just(run) : this.gate.asMono().thenReturn(run);
		}

		@Dogpile(name = "monthly", key = "#month")
		public Mono<List<Report>> monthly(String month) {
			return Mono.fromCallable(() -> List.of(new Report(month, this.runs.incrementAndGet())));
		}

		@Dogpile(name = "nothing")
		public Mono<String> nothing() {
			return Mono.empty();
		}

		@Dogpile(name = "failing")
		public Mono<String> failing() {
			return Mono.error(new IOException("report service down"));
		}

	}

}
