package io.phonon.channel;

import java.util.ArrayDeque;
import java.util.List;

import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lincheck on coroutine channels, both ends driven by the scenario's threads (the body's
 * end as a body would use it), model checked in every interleaving: a caller's close
 * wakes a body parked in {@code put}, and {@code Select.any} over two coroutines receives
 * every value and then reports both done, whichever order the bodies end in.
 */
@Tag("concurrency")
@Param(name = "value", gen = IntGen.class, conf = "1:4")
public class CoroutineLincheckTests {

	/** What an operation answers when its channel is closed. */
	static final int CLOSED = -2;

	/**
	 * The model's answer where the real operation would wait for ever: never a valid
	 * result.
	 */
	static final int HANGS = Integer.MIN_VALUE;

	private final DuplexChannel<Integer> first = DuplexChannel.forCaller(0);

	private final DuplexChannel<Integer> second = DuplexChannel.forCaller(0);

	private final DuplexChannel<Integer> firstBody = this.first.body();

	private final DuplexChannel<Integer> secondBody = this.second.body();

	@Operation(blocking = true)
	public int bodyPutsFirst(@Param(name = "value") int value) throws InterruptedException {
		return put(this.firstBody, value);
	}

	@Operation(blocking = true)
	public int bodyPutsSecond(@Param(name = "value") int value) throws InterruptedException {
		return put(this.secondBody, value);
	}

	@Operation
	public void firstBodyEnds() {
		this.first.bodyEnded(null);
	}

	@Operation
	public void secondBodyEnds() {
		this.second.bodyEnded(null);
	}

	@Operation
	public void callerClosesFirst() {
		this.first.close();
	}

	@Operation(blocking = true)
	public int callerGetsFirst() throws InterruptedException {
		try {
			return this.first.get();
		}
		catch (ChannelClosedException ex) {
			return CLOSED;
		}
	}

	@Operation(blocking = true)
	public int any() throws InterruptedException {
		try {
			return Select.any(this.first, this.second).value();
		}
		catch (ChannelClosedException ex) {
			return CLOSED;
		}
	}

	@Test
	void aCallersCloseWakesABodyParkedInPutAndSelectAnyOverCoroutinesEndsRight() throws Exception {
		ModelCheckingOptions options = new ModelCheckingOptions().iterations(0).sequentialSpecification(Model.class);
		// A body parked sending to a caller that closes instead of receiving.
		options.addCustomScenario(LincheckScenarios
			.scenario(List.of(List.of(actor("bodyPutsFirst", 1)), List.of(actor("callerClosesFirst")))));
		// The caller takes one value, then closes; the body's second put is refused.
		options.addCustomScenario(
				LincheckScenarios.scenario(List.of(List.of(actor("bodyPutsFirst", 1), actor("bodyPutsFirst", 2)),
						List.of(actor("callerGetsFirst"), actor("callerClosesFirst")))));
		// Select.any over two coroutines that each send one value and end.
		options.addCustomScenario(LincheckScenarios.scenario(List.of(List.of(actor("any"), actor("any"), actor("any")),
				List.of(actor("bodyPutsFirst", 1), actor("firstBodyEnds")),
				List.of(actor("bodyPutsSecond", 2), actor("secondBodyEnds")))));
		options.check(getClass());
	}

	private static int put(Channel<Integer> end, int value) throws InterruptedException {
		try {
			end.put(value);
			return 0;
		}
		catch (ChannelClosedException ex) {
			return CLOSED;
		}
	}

	private static Actor actor(String name, Object... arguments) throws NoSuchMethodException {
		return LincheckScenarios.actor(CoroutineLincheckTests.class, name, arguments);
	}

	/**
	 * Each body-to-caller way as a queue that a close ends; a rendezvous put waits for
	 * its taker.
	 */
	public static class Model {

		private final ArrayDeque<Integer> first = new ArrayDeque<>();

		private final ArrayDeque<Integer> second = new ArrayDeque<>();

		private boolean firstClosed;

		private boolean secondClosed;

		public int bodyPutsFirst(@Param(name = "value") int value) {
			if (this.firstClosed) {
				return CLOSED;
			}
			this.first.add(value);
			return 0;
		}

		public int bodyPutsSecond(@Param(name = "value") int value) {
			if (this.secondClosed) {
				return CLOSED;
			}
			this.second.add(value);
			return 0;
		}

		public void firstBodyEnds() {
			this.firstClosed = true;
		}

		public void secondBodyEnds() {
			this.secondClosed = true;
		}

		public void callerClosesFirst() {
			this.firstClosed = true;
			this.first.clear(); // a rendezvous holds nothing: what was not taken was
								// never sent
		}

		public int callerGetsFirst() {
			Integer value = this.first.poll();
			return (value != null) ? value : (this.firstClosed ? CLOSED : HANGS);
		}

		public int any() {
			Integer value = this.first.poll();
			if (value == null) {
				value = this.second.poll();
			}
			if (value != null) {
				return value;
			}
			return (this.firstClosed && this.secondClosed) ? CLOSED : HANGS;
		}

	}

}
