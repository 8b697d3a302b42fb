package io.phonon.benchmarks;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.phonon.annotation.Locked;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * {@code @Locked} on a {@code Mono} against {@code @Locked} on a plain method, on Redis,
 * in locked sections per second: one caller at a time, and 64 sections on 64 ids at once
 * (64 concurrent subscribers, against the blocking method on a 16-thread pool). The
 * sections are empty, so the figures are the lock's own cost. Redis is
 * {@code PHONON_BENCH_REDIS_URL}, or a private server.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class ReactiveLockedBenchmark {

	private static final int IDS = 64;

	private static final int POOL_THREADS = 16;

	private ConfigurableApplicationContext context;

	private Sections sections;

	private ExecutorService pool;

	@Setup(Level.Trial)
	public void start() throws Exception {
		URI redis = BenchmarkServers.redis();
		this.context = new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
			.properties(BenchmarkServers.APPLICATION_PROPERTIES)
			.properties("phonon.backend=redis", "phonon.namespace=bench-reactive-" + System.nanoTime(),
					"bench.redis=" + redis)
			.run();
		this.sections = this.context.getBean(Sections.class);
		this.pool = Executors.newFixedThreadPool(POOL_THREADS);
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.pool.shutdownNow();
		this.context.close();
	}

	@Benchmark
	public int blockingOneAtATime() {
		return this.sections.blocking(0);
	}

	@Benchmark
	public Integer reactiveOneAtATime() {
		return this.sections.reactive(0).block();
	}

	@Benchmark
	@OperationsPerInvocation(IDS)
	public int blocking64IdsOn16Threads() throws Exception {
		List<Future<Integer>> done = new ArrayList<>(IDS);
		for (int id = 0; id < IDS; id++) {
			int section = id;
			done.add(this.pool.submit(() -> this.sections.blocking(section)));
		}
		int sum = 0;
		for (Future<Integer> section : done) {
			sum += section.get();
		}
		return sum;
	}

	@Benchmark
	@OperationsPerInvocation(IDS)
	public Integer reactive64IdsAtOnce() {
		return Flux.range(0, IDS).flatMap(this.sections::reactive, IDS).reduce(0, Integer::sum).block();
	}

	/** Empty sections, one lock per id. */
	public static class Sections {

		@Locked(name = "bench", key = "#id")
		public int blocking(int id) {
			return id;
		}

		@Locked(name = "bench", key = "#id")
		public Mono<Integer> reactive(int id) {
			return Mono.just(id);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Application {

		@Bean
		RedisConnectionFactory redisConnectionFactory(Environment environment) {
			return BenchmarkServers.connectionFactory(URI.create(environment.getRequiredProperty("bench.redis")));
		}

		@Bean
		Sections sections() {
			return new Sections();
		}

	}

}
