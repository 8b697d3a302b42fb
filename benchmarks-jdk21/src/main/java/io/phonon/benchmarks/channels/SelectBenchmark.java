package io.phonon.benchmarks.channels;

import java.util.concurrent.TimeUnit;

import io.phonon.channel.Channel;
import io.phonon.channel.Channels;
import io.phonon.channel.Select;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Select over two rendezvous channels on virtual threads, jox's "select 2 clauses": one producer
 * sends {@value #ELEMENTS} values, alternating between the two channels; one consumer receives
 * them with a select over both. Nanoseconds per value, Phonon and jox in one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class SelectBenchmark {

	static final int ELEMENTS = 100_000;

	@Benchmark
	@OperationsPerInvocation(ELEMENTS)
	public void phonon() throws InterruptedException {
		Channel<Integer> first = Channels.rendezvous();
		Channel<Integer> second = Channels.rendezvous();
		Thread producer = Thread.ofVirtual().start(() -> {
			try {
				for (int i = 0; i < ELEMENTS; i++) {
					((i % 2 == 0) ? first : second).put(i);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		for (int i = 0; i < ELEMENTS; i++) {
			Select.select(first.onReceive((v) -> v), second.onReceive((v) -> v));
		}
		producer.join();
	}

	@Benchmark
	@OperationsPerInvocation(ELEMENTS)
	public void jox() throws InterruptedException {
		com.softwaremill.jox.Channel<Integer> first = com.softwaremill.jox.Channel.newRendezvousChannel();
		com.softwaremill.jox.Channel<Integer> second = com.softwaremill.jox.Channel.newRendezvousChannel();
		Thread producer = Thread.ofVirtual().start(() -> {
			try {
				for (int i = 0; i < ELEMENTS; i++) {
					((i % 2 == 0) ? first : second).send(i);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		for (int i = 0; i < ELEMENTS; i++) {
			com.softwaremill.jox.Select.select(first.receiveClause(), second.receiveClause());
		}
		producer.join();
	}

}
