package io.phonon.channel;

import java.util.List;

import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lincheck on channels, from JUnit. Generated scenarios of the operations that never wait
 * ({@code tryPut}, {@code tryGet}, {@code close}, {@code isOpen}) are checked for
 * linearizability against the channel itself run sequentially, by model checking (every
 * interleaving of a scenario, up to Lincheck's bounds) and by stress. The waiting
 * operations ({@code put}, {@code get}) are model checked on scenarios where every value
 * sent has a receiver, against a FIFO model: any lost wake-up shows as a hang, any lost,
 * duplicated or reordered value as a wrong result.
 */
@Tag("concurrency")
@Param(name = "value", gen = IntGen.class, conf = "1:4")
public abstract class ChannelLincheckTests {

	/**
	 * What {@code tryGet} answers for "nothing" and for "done", so results compare as
	 * values.
	 */
	static final int NOTHING = -1;

	static final int DONE = -2;

	final Channel<Integer> channel;

	ChannelLincheckTests(Channel<Integer> channel) {
		this.channel = channel;
	}

	@Operation
	public boolean tryPut(@Param(name = "value") int value) {
		try {
			return this.channel.tryPut(value);
		}
		catch (ChannelClosedException ex) {
			return false;
		}
	}

	@Operation
	public int tryGet() {
		try {
			Integer value = this.channel.tryGet();
			return (value != null) ? value : NOTHING;
		}
		catch (ChannelClosedException ex) {
			return DONE;
		}
	}

	@Operation
	public void close() {
		this.channel.close();
	}

	@Operation
	public boolean isOpen() {
		return this.channel.isOpen();
	}

	/** Waits; only in the balanced scenarios below. */
	public void put(int value) throws InterruptedException {
		this.channel.put(value);
	}

	/** Waits; only in the balanced scenarios below. */
	public int get() throws InterruptedException {
		try {
			return this.channel.get();
		}
		catch (ChannelClosedException ex) {
			return DONE;
		}
	}

	@Test
	void nonWaitingOperationsAreLinearizableUnderModelChecking() {
		new ModelCheckingOptions().iterations(15).invocationsPerIteration(1000).check(getClass());
	}

	@Test
	void nonWaitingOperationsAreLinearizableUnderStress() {
		new StressOptions().iterations(15).invocationsPerIteration(2000).check(getClass());
	}

	@Test
	void waitingOperationsNeitherLoseNorHangUnderModelChecking() throws Exception {
		ModelCheckingOptions options = new ModelCheckingOptions().iterations(0)
			.sequentialSpecification(FifoModel.class);
		// Two senders, one receiver taking both.
		options.addCustomScenario(LincheckScenarios
			.scenario(List.of(List.of(putting(1)), List.of(putting(2)), List.of(getting(), getting())), List.of()));
		// A sender and a receiver, then a close that the receiver's last call must see.
		options.addCustomScenario(LincheckScenarios.scenario(
				List.of(List.of(putting(1), putting(2), closing()), List.of(getting(), getting(), getting())),
				List.of()));
		// Two receivers parked together, each woken by its own value.
		options.addCustomScenario(LincheckScenarios
			.scenario(List.of(List.of(getting()), List.of(getting()), List.of(putting(1), putting(2))), List.of()));
		options.check(getClass());
	}

	private static Actor putting(int value) throws NoSuchMethodException {
		return LincheckScenarios.actor(ChannelLincheckTests.class, "put", value);
	}

	private static Actor getting() throws NoSuchMethodException {
		return LincheckScenarios.actor(ChannelLincheckTests.class, "get");
	}

	private static Actor closing() throws NoSuchMethodException {
		return LincheckScenarios.actor(ChannelLincheckTests.class, "close");
	}

	/**
	 * A channel as a sequential FIFO queue: what the waiting operations must look like. A
	 * receive from an empty open queue is never a valid result (it would wait), so orders
	 * that need one are rejected.
	 */
	public static class FifoModel {

		private final java.util.ArrayDeque<Integer> values = new java.util.ArrayDeque<>();

		private boolean closed;

		public void put(int value) {
			if (this.closed) {
				throw new ChannelClosedException("closed", null);
			}
			this.values.add(value);
		}

		public int get() {
			Integer value = this.values.poll();
			if (value != null) {
				return value;
			}
			return this.closed ? DONE : Integer.MIN_VALUE;
		}

		public void close() {
			this.closed = true;
		}

		public boolean tryPut(@Param(name = "value") int value) {
			put(value);
			return true;
		}

		public int tryGet() {
			Integer value = this.values.poll();
			return (value != null) ? value : (this.closed ? DONE : NOTHING);
		}

		public boolean isOpen() {
			return !this.closed;
		}

	}

	public static class Buffered extends ChannelLincheckTests {

		public Buffered() {
			super(Channels.buffered(2));
		}

	}

	public static class Rendezvous extends ChannelLincheckTests {

		public Rendezvous() {
			super(Channels.rendezvous());
		}

	}

	public static class Unlimited extends ChannelLincheckTests {

		public Unlimited() {
			super(Channels.unlimited());
		}

	}

}
