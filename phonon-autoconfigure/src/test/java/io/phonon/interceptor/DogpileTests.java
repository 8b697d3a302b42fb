package io.phonon.interceptor;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phonon.annotation.Dogpile;
import io.phonon.autoconfigure.PhononAutoConfiguration;
import io.phonon.autoconfigure.PhononDogpileAutoConfiguration;
import io.phonon.testsupport.TestRedis;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code @Dogpile} through the auto-configured proxy and {@code Dogpiles}: on memory, and
 * on Redis where values go through JSON.
 */
class DogpileTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PhononAutoConfiguration.class, PhononDogpileAutoConfiguration.class,
				JacksonAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	@Test
	void aFreshValueIsServedWithoutRunningTheMethodAgainPerKey() {
		this.runner.withUserConfiguration(ReportsConfiguration.class).run((context) -> {
			Reports reports = context.getBean(Reports.class);
			assertThat(reports.monthly("2026-10")).isEqualTo(List.of(new Report("2026-10", 1)));
			assertThat(reports.monthly("2026-10")).isEqualTo(List.of(new Report("2026-10", 1)));
			assertThat(reports.monthly("2026-11")).isEqualTo(List.of(new Report("2026-11", 2)));
			assertThat(reports.runs()).isEqualTo(2);
			assertThat(context.getBean(MeterRegistry.class)
				.get("phonon.dogpile.get")
				.tag("name", "reports")
				.tag("result", "fresh")
				.counter()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void genericValuesComeBackTypedThroughRedis() {
		this.runner.withUserConfiguration(ReportsConfiguration.class)
			.withBean(RedisConnectionFactory.class, TestRedis::newConnectionFactory)
			.withPropertyValues("phonon.backend=redis", "phonon.namespace=dogpile-" + System.nanoTime())
			.run((context) -> {
				Reports reports = context.getBean(Reports.class);
				reports.monthly("2026-10");
				List<Report> cached = reports.monthly("2026-10");
				assertThat(cached).singleElement().isInstanceOf(Report.class).isEqualTo(new Report("2026-10", 1));
				assertThat(reports.runs()).isEqualTo(1);
				assertThat(reports.count()).isEqualTo(1);
				assertThat(reports.count()).isEqualTo(1);
			});
	}

	@Test
	void aStaleValueIsServedWhileOneCallerRegeneratesWithTheDefaultFreshness() {
		this.runner.withUserConfiguration(ReportsConfiguration.class)
			.withPropertyValues("phonon.dogpile.expire-after=100ms")
			.run((context) -> {
				Reports reports = context.getBean(Reports.class);
				assertThat(reports.slowTotal()).isEqualTo(1);
				Thread.sleep(200);
				CompletableFuture<Integer> regenerating = CompletableFuture.supplyAsync(reports::slowTotal);
				await().atMost(Duration.ofSeconds(5)).until(() -> reports.runs() == 2);
				assertThat(reports.slowTotal()).as("stale, at once").isEqualTo(1);
				assertThat(regenerating.get()).isEqualTo(2);
			});
	}

	@Test
	void theMethodsOwnExceptionReachesTheCallerUnchanged() {
		this.runner.withUserConfiguration(ReportsConfiguration.class)
			.run((context) -> assertThatExceptionOfType(IOException.class)
				.isThrownBy(() -> context.getBean(Reports.class).failing())
				.withMessage("report service down"));
	}

	@Test
	void mistakesFailTheStartUpNamingMethodAndAttribute() {
		assertStartUpFails(VoidMethod.class, "@Dogpile on DogpileTests.VoidMethod.refresh()", "returns nothing");
		assertStartUpFails(FutureMethod.class, "@Dogpile on DogpileTests.FutureMethod.later()",
				"a CompletableFuture is not a value to cache");
		assertStartUpFails(BadKey.class, "@Dogpile on DogpileTests.BadKey.find(String)", "#nmae");
		assertStartUpFails(NegativeStale.class, "maxStale = \"-1s\"", "must be zero or positive");
		assertStartUpFails(NegativeBeta.class, "beta = -1.0", "must be zero");
		assertStartUpFails(SharedName.class, "share the dogpile cache 'shared'", "give each its own name");
		assertStartUpFails(AlsoCacheable.class, "@Dogpile on DogpileTests.AlsoCacheable.find()",
				"@Cacheable caches the same method", "never refresh");
		assertStartUpFails(FluxMethod.class, "@Dogpile on DogpileTests.FluxMethod.find()",
				"a stream is not one value to cache", "collect a Flux into a Mono<List<T>>");
		assertStartUpFails(UnitlessFreshness.class, "expireAfter = \"10\"", "has no unit");
	}

	static class AlsoCacheable {

		@Dogpile
		@Cacheable("reports")
		public String find() {
			return "report";
		}

	}

	static class FluxMethod {

		@Dogpile
		public Flux<String> find() {
			return Flux.just("report");
		}

	}

	static class UnitlessFreshness {

		@Dogpile(expireAfter = "10")
		public String find() {
			return "report";
		}

	}

	private void assertStartUpFails(Class<?> configuration, String... messages) {
		this.runner.withBean(configuration).run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			while (failure.getCause() != null) {
				failure = failure.getCause();
			}
			assertThat(failure).isInstanceOf(IllegalStateException.class);
			for (String message : messages) {
				assertThat(failure.getMessage()).contains(message);
			}
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class ReportsConfiguration {

		@Bean
		Reports reports() {
			return new Reports();
		}

	}

	public record Report(String month, int run) {
	}

	static class Reports {

		private final AtomicInteger runs = new AtomicInteger();

		/** How often the methods ran (a method: a proxy's fields are not the bean's). */
		public int runs() {
			return this.runs.get();
		}

		@Dogpile(name = "reports", key = "#month", expireAfter = "${reports.fresh:1h}")
		public List<Report> monthly(String month) {
			return List.of(new Report(month, this.runs.incrementAndGet()));
		}

		@Dogpile(expireAfter = "1h")
		public int count() {
			return 1;
		}

		@Dogpile
		public Integer slowTotal() {
			int run = this.runs.incrementAndGet();
			if (run > 1) {
				try {
					Thread.sleep(500);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return run;
		}

		@Dogpile
		public String failing() throws IOException {
			throw new IOException("report service down");
		}

	}

	static class VoidMethod {

		@Dogpile
		public void refresh() {
		}

	}

	static class FutureMethod {

		@Dogpile
		public CompletableFuture<String> later() {
			return CompletableFuture.completedFuture("x");
		}

	}

	static class BadKey {

		@Dogpile(key = "#nmae")
		public String find(String name) {
			return name;
		}

	}

	static class NegativeStale {

		@Dogpile(maxStale = "-1s")
		public String find() {
			return "x";
		}

	}

	static class NegativeBeta {

		@Dogpile(beta = -1)
		public String find() {
			return "x";
		}

	}

	static class SharedName {

		@Dogpile(name = "shared")
		public String text() {
			return "x";
		}

		@Dogpile(name = "shared")
		public Integer number() {
			return 1;
		}

	}

}
