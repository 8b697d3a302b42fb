package io.phonon.channel;

import java.util.ArrayDeque;
import java.util.List;

import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lincheck on {@link Select} over two rendezvous channels, A and B. Selects that receive
 * race senders on both channels, and a select that sends races a receiver, in every
 * interleaving of the scenarios (model checking) and under stress; results must match a
 * model of two FIFO queues in some order of the operations, and nothing may hang. On
 * rendezvous channels a sender's value exists only once a receiver takes it, so the
 * model's choice (A first) is never forced where the real select chose B.
 */
@Tag("concurrency")
@Param(name = "value", gen = IntGen.class, conf = "1:4")
public class SelectLincheckTests {

	private final Channel<Integer> a = Channels.rendezvous();

	private final Channel<Integer> b = Channels.rendezvous();

	@Operation(blocking = true)
	public void putA(@Param(name = "value") int value) throws InterruptedException {
		this.a.put(value);
	}

	@Operation(blocking = true)
	public void putB(@Param(name = "value") int value) throws InterruptedException {
		this.b.put(value);
	}

	@Operation(blocking = true)
	public int getA() throws InterruptedException {
		return this.a.get();
	}

	@Operation(blocking = true)
	public int selectReceive() throws InterruptedException {
		return Select.select(this.a.onReceive((value) -> value), this.b.onReceive((value) -> value));
	}

	/** Sends to A or B; answers 1 for A, 2 for B. */
	@Operation(blocking = true)
	public int selectSend(@Param(name = "value") int value) throws InterruptedException {
		return Select.select(this.a.onSend(value, () -> 1), this.b.onSend(value, () -> 2));
	}

	/**
	 * Sends to A or B without telling which: the model may pick A where the real select
	 * picked B.
	 */
	@Operation(blocking = true)
	public int selectSendAnywhere(@Param(name = "value") int value) throws InterruptedException {
		return Select.select(this.a.onSend(value, () -> 0), this.b.onSend(value, () -> 0));
	}

	/** Sends 1 to A or receives from B. */
	@Operation(blocking = true)
	public int crossedLeft() throws InterruptedException {
		return Select.select(this.a.onSend(1, () -> 0), this.b.onReceive((value) -> value));
	}

	/**
	 * Sends 2 to B or receives from A: with {@link #crossedLeft}, each can only complete
	 * with the other.
	 */
	@Operation(blocking = true)
	public int crossedRight() throws InterruptedException {
		return Select.select(this.b.onSend(2, () -> 0), this.a.onReceive((value) -> value));
	}

	/**
	 * Two selects that meet while both register: each takes itself, then the other, and
	 * one steps back where both did at once.
	 */
	@Test
	void selectsMeetingSelectsNeitherLoseNorHangUnderModelChecking() throws Exception {
		ModelCheckingOptions options = new ModelCheckingOptions().iterations(0)
			.sequentialSpecification(TwoQueues.class);
		options.addCustomScenario(LincheckScenarios
			.scenario(List.of(List.of(actor("selectSendAnywhere", 5)), List.of(actor("selectReceive")))));
		options.addCustomScenario(
				LincheckScenarios.scenario(List.of(List.of(actor("crossedLeft")), List.of(actor("crossedRight")))));
		options.check(getClass());
	}

	@Test
	void selectsNeitherLoseNorDuplicateNorHangUnderModelChecking() throws Exception {
		ModelCheckingOptions options = new ModelCheckingOptions().iterations(0)
			.sequentialSpecification(TwoQueues.class);
		// Two selects take one value from each of two senders.
		options.addCustomScenario(
				LincheckScenarios.scenario(List.of(List.of(actor("selectReceive"), actor("selectReceive")),
						List.of(actor("putA", 1)), List.of(actor("putB", 2)))));
		// A select that sends, to the only channel with a receiver.
		options.addCustomScenario(
				LincheckScenarios.scenario(List.of(List.of(actor("selectSend", 5)), List.of(actor("getA")))));
		options.addCustomScenario(threeSelectsThreeSenders());
		options.check(getClass());
	}

	/**
	 * Three selects, three senders spread over both channels (receivers never send, so
	 * every interleaving can finish). With a lock per channel, model checking reported
	 * this one as hung (every thread in a ReentrantLock's acquire loop, no lock held);
	 * without locks it checks.
	 */
	private static ExecutionScenario threeSelectsThreeSenders() throws NoSuchMethodException {
		return LincheckScenarios.scenario(List.of(List.of(actor("selectReceive"), actor("selectReceive")),
				List.of(actor("putA", 1), actor("putB", 3)), List.of(actor("selectReceive")),
				List.of(actor("putB", 2))));
	}

	@Test
	void selectsNeitherLoseNorDuplicateNorHangUnderStress() throws Exception {
		StressOptions options = new StressOptions().iterations(0)
			.invocationsPerIteration(20_000)
			.sequentialSpecification(TwoQueues.class);
		options.addCustomScenario(
				LincheckScenarios.scenario(List.of(List.of(actor("selectReceive"), actor("selectReceive")),
						List.of(actor("putA", 1)), List.of(actor("putB", 2)))));
		options.addCustomScenario(threeSelectsThreeSenders());
		options.addCustomScenario(
				LincheckScenarios.scenario(List.of(List.of(actor("selectSend", 5)), List.of(actor("getA")))));
		options.check(getClass());
	}

	private static Actor actor(String name, Object... arguments) throws NoSuchMethodException {
		return LincheckScenarios.actor(SelectLincheckTests.class, name, arguments);
	}

	/**
	 * Two FIFO queues: a receive from an empty one is never a valid result (it would
	 * wait).
	 */
	public static class TwoQueues {

		private final ArrayDeque<Integer> a = new ArrayDeque<>();

		private final ArrayDeque<Integer> b = new ArrayDeque<>();

		public void putA(@Param(name = "value") int value) {
			this.a.add(value);
		}

		public void putB(@Param(name = "value") int value) {
			this.b.add(value);
		}

		public int getA() {
			Integer value = this.a.poll();
			return (value != null) ? value : Integer.MIN_VALUE;
		}

		public int selectReceive() {
			Integer value = this.a.poll();
			if (value == null) {
				value = this.b.poll();
			}
			return (value != null) ? value : Integer.MIN_VALUE;
		}

		public int selectSend(@Param(name = "value") int value) {
			this.a.add(value);
			return 1;
		}

		public int selectSendAnywhere(@Param(name = "value") int value) {
			this.a.add(value);
			return 0;
		}

		public int crossedLeft() {
			return receiveOrSend(this.b, this.a, 1);
		}

		public int crossedRight() {
			return receiveOrSend(this.a, this.b, 2);
		}

		/**
		 * A crossed select: what {@code from} holds, else {@code value} sent to
		 * {@code to}.
		 */
		private static int receiveOrSend(ArrayDeque<Integer> from, ArrayDeque<Integer> to, int value) {
			Integer received = from.poll();
			if (received != null) {
				return received;
			}
			to.add(value);
			return 0;
		}

	}

}
