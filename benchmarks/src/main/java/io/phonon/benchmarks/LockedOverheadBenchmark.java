package io.phonon.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phonon.annotation.Locked;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What {@code @Locked} costs on an uncontended call, on the memory backend, with a SpEL
 * key, with and without meters recorded: the same work unannotated, under
 * {@code @Locked}, under a bare {@link ReentrantLock} (the floor of any lock), and with
 * only the lock meters recorded around it. The overhead is {@code locked - plain}.
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

	private Timer acquireTimer;

	private LongTaskTimer activeTimer;

	/**
	 * Whether the application has a meter registry, so that Phonon records its lock
	 * meters.
	 */
	@Param({ "true", "false" })
	public boolean meters;

	@Setup(Level.Trial)
	public void start() {
		this.context = new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
			.properties(BenchmarkServers.APPLICATION_PROPERTIES)
			.properties("bench.meters=" + this.meters)
			.run();
		this.locked = this.context.getBean("lockedWork", Work.class);
		this.plain = this.context.getBean("plainWork", Work.class);
		MeterRegistry registry = new SimpleMeterRegistry();
		this.acquireTimer = Timer.builder("phonon.lock.acquire")
			.tags("name", "floor", "outcome", "acquired")
			.register(registry);
		this.activeTimer = LongTaskTimer.builder("phonon.lock.active").tags("name", "floor").register(registry);
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

	/**
	 * What DESIGN.md's lock meters alone cost a locked call, on a registry of the same
	 * kind: one {@code phonon.lock.acquire} timing and one {@code phonon.lock.active}
	 * task, around the plain call.
	 */
	@Benchmark
	public long meteredCall() {
		long start = System.nanoTime();
		LongTaskTimer.Sample active = this.activeTimer.start();
		this.acquireTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
		try {
			return this.plain.process("record-42");
		}
		finally {
			active.stop();
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
		@ConditionalOnBooleanProperty("bench.meters")
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
