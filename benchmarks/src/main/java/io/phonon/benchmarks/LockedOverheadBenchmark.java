package io.phonon.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phonon.annotation.Locked;
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
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What {@code @Locked} costs on an uncontended call, on the memory backend, with a SpEL
 * key and meters recorded: the same work unannotated, under {@code @Locked}, and under a
 * bare {@link ReentrantLock} (the floor of any lock). The overhead is
 * {@code locked - plain}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "-Xmx1g")
public class LockedOverheadBenchmark {

	private ConfigurableApplicationContext context;

	private Work locked;

	private Work plain;

	private final ReentrantLock reentrantLock = new ReentrantLock();

	@Setup(Level.Trial)
	public void start() {
		this.context = new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
			.properties(BenchmarkServers.APPLICATION_PROPERTIES)
			.run();
		this.locked = this.context.getBean("lockedWork", Work.class);
		this.plain = this.context.getBean("plainWork", Work.class);
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.context.close();
	}

	@Benchmark
	public long plainCall() {
		return this.plain.process("record-42");
	}

	@Benchmark
	public long lockedCall() {
		return this.locked.process("record-42");
	}

	@Benchmark
	public long reentrantLockCall() {
		this.reentrantLock.lock();
		try {
			return this.plain.process("record-42");
		}
		finally {
			this.reentrantLock.unlock();
		}
	}

	/** The work under test: small, so the lock's cost dominates. */
	public static class Work {

		private long processed;

		public long process(String id) {
			return this.processed += id.length();
		}

	}

	/** The same work, under {@code @Locked} with a key. */
	public static class LockedWork extends Work {

		@Override
		@Locked(name = "bench", key = "#id")
		public long process(String id) {
			return super.process(id);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Application {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		Work lockedWork() {
			return new LockedWork();
		}

		@Bean
		Work plainWork() {
			return new Work();
		}

	}

}
