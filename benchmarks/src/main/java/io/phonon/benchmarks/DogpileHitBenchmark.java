package io.phonon.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phonon.annotation.Dogpile;
import io.phonon.backend.memory.MemoryBackend;
import io.phonon.dogpile.DogpileCache;
import io.phonon.dogpile.DogpileOptions;
import io.phonon.dogpile.Dogpiles;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ParameterizedTypeReference;

/**
 * What a fresh hit costs, one thread, one present key: Caffeine's {@code getIfPresent}
 * (the floor), Phonon's {@code DogpileCache.get} on the memory backend without and with
 * meters, and the annotated paths side by side: {@code @Dogpile} and Spring's
 * {@code @Cacheable} on Caffeine, each through its Spring proxy with a SpEL key.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "-Xmx1g")
public class DogpileHitBenchmark {

	private final Cache<String, String> caffeine = Caffeine.newBuilder()
		.expireAfterWrite(Duration.ofMinutes(10))
		.build();

	private DogpileCache<String> dogpile;

	private DogpileCache<String> dogpileWithMeters;

	private ConfigurableApplicationContext context;

	private Reports dogpileReports;

	private Reports cacheableReports;

	@Setup(Level.Trial)
	public void start() throws Exception {
		this.caffeine.put("2026-11", "report");
		ParameterizedTypeReference<String> type = new ParameterizedTypeReference<>() {
		};
		DogpileOptions options = DogpileOptions.expireAfter(Duration.ofMinutes(10));
		this.dogpile = Dogpiles.builder(MemoryBackend.dogpiles(), null).build().cache("reports", type, options);
		this.dogpileWithMeters = Dogpiles.builder(MemoryBackend.dogpiles(), null)
			.meterRegistry(new SimpleMeterRegistry())
			.build()
			.cache("reports", type, options);
		this.dogpile.get("2026-11", () -> "report");
		this.dogpileWithMeters.get("2026-11", () -> "report");
		this.context = new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
			.properties(BenchmarkServers.APPLICATION_PROPERTIES)
			.run();
		this.dogpileReports = this.context.getBean("dogpileReports", Reports.class);
		this.cacheableReports = this.context.getBean("cacheableReports", Reports.class);
		this.dogpileReports.monthly("2026-11");
		this.cacheableReports.monthly("2026-11");
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.context.close();
	}

	@Benchmark
	public String caffeineGetIfPresent() {
		return this.caffeine.getIfPresent("2026-11");
	}

	@Benchmark
	public String dogpileGet() throws Exception {
		return this.dogpile.get("2026-11", () -> "report");
	}

	@Benchmark
	public String dogpileGetWithMeters() throws Exception {
		return this.dogpileWithMeters.get("2026-11", () -> "report");
	}

	@Benchmark
	public String dogpileAnnotated() {
		return this.dogpileReports.monthly("2026-11");
	}

	@Benchmark
	public String cacheableAnnotated() {
		return this.cacheableReports.monthly("2026-11");
	}

	/** A report by month; each subclass caches it its own way. */
	public static class Reports {

		public String monthly(String month) {
			return "report " + month;
		}

	}

	public static class DogpileReports extends Reports {

		@Override
		@Dogpile(name = "reports", key = "#month", expireAfter = "10m")
		public String monthly(String month) {
			return super.monthly(month);
		}

	}

	public static class CacheableReports extends Reports {

		@Override
		@Cacheable(cacheNames = "reports", key = "#month", sync = true)
		public String monthly(String month) {
			return super.monthly(month);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableCaching
	static class Application {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		CaffeineCacheManager cacheManager() {
			CaffeineCacheManager cacheManager = new CaffeineCacheManager();
			cacheManager.setCaffeine(Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(10)));
			return cacheManager;
		}

		@Bean
		Reports dogpileReports() {
			return new DogpileReports();
		}

		@Bean
		Reports cacheableReports() {
			return new CacheableReports();
		}

	}

}
