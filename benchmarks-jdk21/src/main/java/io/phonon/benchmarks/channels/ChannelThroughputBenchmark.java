package io.phonon.benchmarks.channels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

import io.phonon.channel.Channel;
import io.phonon.channel.Channels;
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
 * Channel throughput on virtual threads, jox's "parallel" benchmark: {@value #PAIRS}
 * producer and consumer pairs, each pair with its own channel, pass {@value #ELEMENTS}
 * values each; the score is nanoseconds per value passed. Phonon's channels, jox's and
 * the JDK's queues ({@code ArrayBlockingQueue} for buffered, {@code SynchronousQueue} for
 * rendezvous), in one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 15, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class ChannelThroughputBenchmark {

	static final int PAIRS = 1000;

	static final int ELEMENTS = 1000;

	@Param({ "16", "0" })
	public int capacity;

	@Benchmark
	@OperationsPerInvocation(PAIRS * ELEMENTS)
	public void phonon() throws InterruptedException {
		run(() -> {
			Channel<Integer> channel = (this.capacity == 0) ? Channels.rendezvous() : Channels.buffered(this.capacity);
			return new Pipe(channel::put, channel::get);
		});
	}

	@Benchmark
	@OperationsPerInvocation(PAIRS * ELEMENTS)
	public void jox() throws InterruptedException {
		run(() -> {
			com.softwaremill.jox.Channel<Integer> channel = (this.capacity == 0)
					? com.softwaremill.jox.Channel.newRendezvousChannel()
					: com.softwaremill.jox.Channel.newBufferedChannel(this.capacity);
			return new Pipe(channel::send, channel::receive);
		});
	}

	@Benchmark
	@OperationsPerInvocation(PAIRS * ELEMENTS)
	public void jdkQueue() throws InterruptedException {
		run(() -> {
			BlockingQueue<Integer> queue = (this.capacity == 0) ? new SynchronousQueue<>()
					: new ArrayBlockingQueue<>(this.capacity);
			return new Pipe(queue::put, queue::take);
		});
	}

	private static void run(PipeFactory pipes) throws InterruptedException {
		List<Thread> threads = new ArrayList<>(2 * PAIRS);
		for (int p = 0; p < PAIRS; p++) {
			Pipe pipe = pipes.create();
			threads.add(Thread.ofVirtual().start(() -> {
				try {
					for (int i = 0; i < ELEMENTS; i++) {
						pipe.sender.send(i);
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}));
			threads.add(Thread.ofVirtual().start(() -> {
				try {
					for (int i = 0; i < ELEMENTS; i++) {
						pipe.receiver.receive();
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}));
		}
		for (Thread thread : threads) {
			thread.join();
		}
	}

	interface Sender {

		void send(Integer value) throws InterruptedException;

	}

	interface Receiver {

		Integer receive() throws InterruptedException;

	}

	record Pipe(Sender sender, Receiver receiver) {
	}

	interface PipeFactory {

		Pipe create();

	}

}
