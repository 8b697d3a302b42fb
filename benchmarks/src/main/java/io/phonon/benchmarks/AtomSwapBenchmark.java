package io.phonon.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.phonon.atom.Atom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An uncontended {@code Atom.swap} (no validator, no watches) against the JDK's
 * {@code AtomicReference.updateAndGet}, both incrementing a boxed integer on one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "-Xmx1g")
public class AtomSwapBenchmark {

	private final Atom<Integer> atom = Atom.of(0);

	private final AtomicReference<Integer> reference = new AtomicReference<>(0);

	@Benchmark
	public Integer atomSwap() {
		return this.atom.swap((value) -> (value < 1_000_000) ? value + 1 : 0);
	}

	@Benchmark
	public Integer atomicReferenceUpdateAndGet() {
		return this.reference.updateAndGet((value) -> (value < 1_000_000) ? value + 1 : 0);
	}

}
