package io.phonon.benchmarks.channels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.phonon.channel.Channel;
import io.phonon.channel.Channels;
import io.phonon.channel.Select;
import io.phonon.channel.SelectClause;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Select over two or four rendezvous channels on virtual threads, jox's "select 2
 * clauses": one producer sends {@value #ELEMENTS} values, going round the channels; one
 * consumer receives them with a select over all of them. Nanoseconds per value, Phonon
 * and jox in one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 15, time = 2)
@Fork(value = 3, jvmArgsAppend = "-Xmx2g")
public class SelectBenchmark {

	static final int ELEMENTS = 100_000;

	@Param({ "2", "4" })
	public int clauses;

	@Benchmark
	@OperationsPerInvocation(ELEMENTS)
	public void phonon() throws InterruptedException {
		List<Channel<Integer>> channels = new ArrayList<>();
		for (int c = 0; c < this.clauses; c++) {
			channels.add(Channels.rendezvous());
		}
		Thread producer = Thread.ofVirtual().start(() -> {
			try {
				for (int i = 0; i < ELEMENTS; i++) {
					channels.get(i % channels.size()).put(i);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		SelectClause<?>[] receive = new SelectClause<?>[this.clauses];
		for (int i = 0; i < ELEMENTS; i++) {
			for (int c = 0; c < this.clauses; c++) {
				receive[c] = channels.get(c).onReceive((v) -> v);
			}
			Select.select(receive);
		}
		producer.join();
	}

	@Benchmark
	@OperationsPerInvocation(ELEMENTS)
	public void jox() throws InterruptedException {
		List<com.softwaremill.jox.Channel<Integer>> channels = new ArrayList<>();
		for (int c = 0; c < this.clauses; c++) {
			channels.add(com.softwaremill.jox.Channel.newRendezvousChannel());
		}
		Thread producer = Thread.ofVirtual().start(() -> {
			try {
				for (int i = 0; i < ELEMENTS; i++) {
					channels.get(i % channels.size()).send(i);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		com.softwaremill.jox.SelectClause<?>[] receive = new com.softwaremill.jox.SelectClause<?>[this.clauses];
		for (int i = 0; i < ELEMENTS; i++) {
			for (int c = 0; c < this.clauses; c++) {
				receive[c] = channels.get(c).receiveClause();
			}
			com.softwaremill.jox.Select.select(receive);
		}
		producer.join();
	}

}
