package io.phonon.channel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.awaitility.Awaitility.await;

/** Channels and select, one behaviour at a time, then under load. */
class ChannelTests {

	private final ExecutorService threads = Executors.newCachedThreadPool();

	@AfterEach
	void stop() {
		this.threads.shutdownNow();
	}

	@Test
	void aBufferedChannelKeepsOrderAndRefusesWhenFull() throws Exception {
		Channel<Integer> channel = Channels.buffered(2);
		assertThat(channel.tryPut(1)).isTrue();
		channel.put(2);
		assertThat(channel.tryPut(3)).as("full").isFalse();
		assertThat(channel.get()).isEqualTo(1);
		assertThat(channel.tryGet()).isEqualTo(2);
		assertThat(channel.tryGet()).isNull();
		assertThat(channel.get(Duration.ofMillis(20))).as("timed out").isNull();
	}

	@Test
	void aParkedSenderMovesIntoTheBufferWhenThereIsRoom() throws Exception {
		Channel<Integer> channel = Channels.buffered(1);
		channel.put(1);
		Future<?> sender = this.threads.submit(() -> {
			channel.put(2);
			return null;
		});
		await().until(() -> !sender.isDone());
		assertThat(channel.get()).isEqualTo(1);
		sender.get(5, TimeUnit.SECONDS);
		assertThat(channel.tryGet()).isEqualTo(2);
	}

	@Test
	void aRendezvousSenderWaitsForItsReceiver() throws Exception {
		Channel<String> channel = Channels.rendezvous();
		assertThat(channel.tryPut("x")).as("nobody receives").isFalse();
		CountDownLatch sending = new CountDownLatch(1);
		Future<?> sender = this.threads.submit(() -> {
			sending.countDown();
			channel.put("hello");
			return null;
		});
		sending.await();
		assertThat(channel.get(Duration.ofSeconds(5))).isEqualTo("hello");
		sender.get(5, TimeUnit.SECONDS);
		Future<String> receiver = this.threads.submit(() -> channel.get());
		await().until(() -> channel.tryPut("to a parked receiver"));
		assertThat(receiver.get(5, TimeUnit.SECONDS)).isEqualTo("to a parked receiver");
	}

	@Test
	void anUnlimitedChannelNeverMakesASenderWait() throws Exception {
		Channel<Integer> channel = Channels.unlimited();
		for (int i = 0; i < 100_000; i++) {
			assertThat(channel.tryPut(i)).isTrue();
		}
		int count = 0;
		for (Integer value : iterateUntilEmpty(channel)) {
			assertThat(value).isEqualTo(count++);
		}
		assertThat(count).isEqualTo(100_000);
	}

	@Test
	void closingDeliversWhatWasSentThenReportsDone() throws Exception {
		Channel<Integer> channel = Channels.buffered(4);
		channel.put(1);
		channel.put(2);
		channel.close();
		channel.close();
		assertThat(channel.isOpen()).isFalse();
		assertThatExceptionOfType(ChannelClosedException.class).isThrownBy(() -> channel.put(3))
			.satisfies((ex) -> assertThat(ex.isError()).isFalse());
		List<Integer> received = new ArrayList<>();
		channel.forEach(received::add);
		assertThat(received).containsExactly(1, 2);
		assertThatExceptionOfType(ChannelClosedException.class).isThrownBy(channel::get);
		assertThatExceptionOfType(ChannelClosedException.class).isThrownBy(channel::tryGet);
	}

	@Test
	void closingWakesParkedReceiversAndRefusesParkedSenders() throws Exception {
		Channel<Integer> empty = Channels.rendezvous();
		Future<Integer> receiver = this.threads.submit(() -> empty.get());
		Future<?> sender = this.threads.submit(() -> {
			Channel<Integer> full = Channels.rendezvous();
			this.threads.submit(() -> {
				Thread.sleep(50);
				full.close();
				return null;
			});
			full.put(1);
			return null;
		});
		Thread.sleep(50);
		empty.close();
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> receiver.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(ChannelClosedException.class);
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> sender.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(ChannelClosedException.class);
	}

	@Test
	void anErrorDropsWhatWasSentAndReachesEveryReceiver() throws Exception {
		Channel<Integer> channel = Channels.buffered(4);
		channel.put(1);
		IllegalStateException cause = new IllegalStateException("upstream failed");
		channel.error(cause);
		assertThatExceptionOfType(ChannelClosedException.class).isThrownBy(channel::get)
			.satisfies((ex) -> assertThat(ex.isError()).isTrue())
			.withCause(cause);
		assertThatExceptionOfType(ChannelClosedException.class).isThrownBy(() -> channel.put(2)).withCause(cause);
		assertThatExceptionOfType(ChannelClosedException.class).isThrownBy(() -> channel.iterator().hasNext())
			.withCause(cause);
	}

	@Test
	void anInterruptedReceiverLeavesTheChannelAsItWas() throws Exception {
		Channel<Integer> channel = Channels.rendezvous();
		Future<Integer> receiver = this.threads.submit(() -> channel.get());
		Thread.sleep(50);
		receiver.cancel(true);
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> receiver.get());
		await().atMost(Duration.ofSeconds(5)).until(() -> !channel.tryPut(1));
		Future<Integer> next = this.threads.submit(() -> channel.get());
		await().atMost(Duration.ofSeconds(5)).until(() -> channel.tryPut(7));
		assertThat(next.get(5, TimeUnit.SECONDS)).isEqualTo(7);
	}

	@Test
	void badInputIsRefused() {
		assertThatNullPointerException().isThrownBy(() -> Channels.buffered(1).put(null));
		assertThatIllegalArgumentException().isThrownBy(() -> Channels.buffered(0)).withMessageContaining("rendezvous");
		assertThatIllegalArgumentException().isThrownBy(() -> Select.select())
			.withMessageContaining("at least one clause");
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(Channels::self)
			.withMessageContaining("@AsyncChannel");
	}

	@Test
	void selectTakesAReadyClauseOrWaitsForOne() throws Exception {
		Channel<Integer> numbers = Channels.buffered(1);
		Channel<String> words = Channels.buffered(1);
		words.put("ready");
		String first = Select.select(numbers.onReceive((n) -> "number " + n), words.onReceive((w) -> "word " + w));
		assertThat(first).isEqualTo("word ready");
		assertThat(Select.<String>select(numbers.onReceive((n) -> "number " + n), Select.orElse(() -> "nothing")))
			.isEqualTo("nothing");
		String timedOut = Select.select(numbers.onReceive((n) -> "number " + n),
				Select.timeout(Duration.ofMillis(20), () -> "timed out"));
		assertThat(timedOut).isEqualTo("timed out");
		Future<String> waiting = this.threads
			.submit(() -> Select.select(numbers.onReceive((n) -> "number " + n), words.onReceive((w) -> "word " + w)));
		Thread.sleep(20);
		numbers.put(5);
		assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo("number 5");
		assertThat(numbers.tryGet()).as("taken by the select only").isNull();
	}

	@Test
	void aSelectSendIsTakenByAReceiver() throws Exception {
		Channel<Integer> full = Channels.buffered(1);
		full.put(0);
		Channel<Integer> rendezvous = Channels.rendezvous();
		Future<String> sending = this.threads
			.submit(() -> Select.select(full.onSend(1, () -> "to full"), rendezvous.onSend(2, () -> "to rendezvous")));
		Thread.sleep(20);
		assertThat(rendezvous.get(Duration.ofSeconds(5))).isEqualTo(2);
		assertThat(sending.get(5, TimeUnit.SECONDS)).isEqualTo("to rendezvous");
		assertThat(full.tryGet()).isZero();
		assertThat(full.tryGet()).as("the other send did not happen").isNull();
	}

	/**
	 * Four clauses, two ready, in every placement: each ready clause must win half of
	 * 10,000 selects. The count is binomial (standard deviation 50); the bounds are 6
	 * deviations wide, so a fair select fails them about once in 500 million runs, and
	 * one biased 3 to 1 (as a scan from a random clause is when ready clauses follow
	 * unready ones) always does.
	 */
	@Test
	void selectChoosesUniformlyAmongTheReadyClausesWhereverTheyStand() throws Exception {
		int selects = 10_000;
		for (int[] ready : new int[][] { { 2, 3 }, { 0, 1 }, { 0, 3 }, { 1, 3 }, { 0, 2 } }) {
			List<Channel<Integer>> channels = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				channels.add(Channels.unlimited());
			}
			for (int index : ready) {
				for (int i = 0; i < selects; i++) {
					channels.get(index).put(i);
				}
			}
			int[] wins = new int[4];
			for (int i = 0; i < selects; i++) {
				wins[Select.<Integer>select(channels.get(0).onReceive((v) -> 0), channels.get(1).onReceive((v) -> 1),
						channels.get(2).onReceive((v) -> 2), channels.get(3).onReceive((v) -> 3))]++;
			}
			System.out.println("ChannelTests: 10,000 selects, clauses " + Arrays.toString(ready) + " ready: wins "
					+ Arrays.toString(wins));
			assertThat(wins[ready[0]])
				.as("clause %d of ready %s, wins %s", ready[0], Arrays.toString(ready), Arrays.toString(wins))
				.isBetween(selects / 2 - 300, selects / 2 + 300);
			assertThat(wins[ready[0]] + wins[ready[1]]).isEqualTo(selects);
		}
	}

	@Test
	void selectChoosesUniformlyAmongReadySendAndReceiveClauses() throws Exception {
		int selects = 10_000;
		Channel<Integer> full = Channels.buffered(1);
		full.put(0);
		Channel<Integer> empty = Channels.buffered(1);
		Channel<Integer> room = Channels.unlimited();
		Channel<Integer> values = Channels.unlimited();
		for (int i = 0; i < selects; i++) {
			values.put(i);
		}
		int sent = 0;
		for (int i = 0; i < selects; i++) {
			sent += Select.<Integer>select(full.onSend(1, () -> -1), empty.onReceive((v) -> -1),
					room.onSend(i, () -> 1), values.onReceive((v) -> 0));
		}
		assertThat(sent).as("the ready send clause's wins").isBetween(selects / 2 - 300, selects / 2 + 300);
	}

	@Test
	void selectOnADoneChannelReportsItAndAnySkipsIt() throws Exception {
		Channel<Integer> done = Channels.buffered(1);
		done.close();
		Channel<Integer> live = Channels.buffered(1);
		assertThatExceptionOfType(ChannelClosedException.class)
			.isThrownBy(() -> Select.select(done.onReceive((v) -> v), live.onReceive((v) -> v)));
		live.put(3);
		Select.Received<Integer> received = Select.any(done, live);
		assertThat(received.channel()).isSameAs(live);
		assertThat(received.value()).isEqualTo(3);
		live.close();
		assertThatExceptionOfType(ChannelClosedException.class).isThrownBy(() -> Select.any(done, live))
			.withMessageContaining("Every channel");
	}

	@Test
	void aTimedOutSelectLeavesNothingQueued() throws Exception {
		Channel<Integer> idle = Channels.rendezvous();
		for (int i = 0; i < 1000; i++) {
			Select.select(idle.onReceive((v) -> v), Select.timeout(Duration.ofNanos(1), () -> -1));
		}
		Future<Integer> receiver = this.threads.submit(() -> idle.get());
		await().atMost(Duration.ofSeconds(5)).until(() -> idle.tryPut(9));
		assertThat(receiver.get(5, TimeUnit.SECONDS)).as("no stale select took the value").isEqualTo(9);
	}

	@Test
	@Tag("concurrency")
	void manyProducersAndConsumersDeliverEveryValueExactlyOnce() throws Exception {
		for (Channel<Integer> channel : List.<Channel<Integer>>of(Channels.buffered(16), Channels.rendezvous(),
				Channels.unlimited())) {
			int producers = 4;
			int perProducer = 20_000;
			ConcurrentHashMap<Integer, Boolean> seen = new ConcurrentHashMap<>();
			List<Future<?>> work = new ArrayList<>();
			for (int p = 0; p < producers; p++) {
				int base = p * perProducer;
				work.add(this.threads.submit(() -> {
					for (int i = 0; i < perProducer; i++) {
						channel.put(base + i);
					}
					return null;
				}));
			}
			List<Future<?>> consumers = new ArrayList<>();
			for (int c = 0; c < 4; c++) {
				consumers.add(this.threads.submit(() -> {
					for (Integer value : channel) {
						assertThat(seen.put(value, Boolean.TRUE)).as("delivered once").isNull();
					}
					return null;
				}));
			}
			for (Future<?> producer : work) {
				producer.get(60, TimeUnit.SECONDS);
			}
			channel.close();
			for (Future<?> consumer : consumers) {
				consumer.get(60, TimeUnit.SECONDS);
			}
			assertThat(seen).as(channel.toString()).hasSize(producers * perProducer);
		}
	}

	/**
	 * Selects that send race selects that receive over two shared channels: a buffered
	 * and a rendezvous one, then two rendezvous ones, where two selects often meet while
	 * both are still registering (each must take itself and the other). Every value
	 * arrives exactly once, and nothing hangs.
	 */
	@Test
	@Tag("concurrency")
	void selectsRacingOverSharedChannelsLoseAndDuplicateNothing() throws Exception {
		for (List<Channel<Integer>> pair : List.<List<Channel<Integer>>>of(
				List.of(Channels.buffered(4), Channels.rendezvous()),
				List.of(Channels.rendezvous(), Channels.rendezvous()))) {
			Channel<Integer> a = pair.get(0);
			Channel<Integer> b = pair.get(1);
			int values = 20_000;
			ConcurrentHashMap<Integer, Boolean> seen = new ConcurrentHashMap<>();
			List<Future<?>> work = new ArrayList<>();
			for (int p = 0; p < 2; p++) {
				int base = p * values;
				work.add(this.threads.submit(() -> {
					for (int i = 0; i < values; i++) {
						int value = base + i;
						Select.select(a.onSend(value, () -> null), b.onSend(value, () -> null));
					}
					return null;
				}));
			}
			AtomicInteger received = new AtomicInteger();
			for (int c = 0; c < 3; c++) {
				work.add(this.threads.submit(() -> {
					while (received.get() < 2 * values) {
						Integer value = Select.select(a.onReceive((v) -> v), b.onReceive((v) -> v),
								Select.timeout(Duration.ofMillis(50), () -> null));
						if (value != null) {
							assertThat(seen.put(value, Boolean.TRUE)).as("delivered once").isNull();
							received.incrementAndGet();
						}
					}
					return null;
				}));
			}
			for (Future<?> future : work) {
				future.get(120, TimeUnit.SECONDS);
			}
			assertThat(seen).as(pair.toString()).hasSize(2 * values);
		}
	}

	/**
	 * Selects that each send to one channel and receive from the other, in opposite
	 * directions: two of them can only complete with each other, each taking itself and
	 * then the other while both register, the case where one must step back.
	 */
	@Test
	@Tag("concurrency")
	void crossedSelectsThatCanOnlyMatchEachOtherNeverHang() throws Exception {
		Channel<Integer> a = Channels.rendezvous();
		Channel<Integer> b = Channels.rendezvous();
		int rounds = 20_000;
		Future<Integer> left = this.threads.submit(() -> {
			int received = 0;
			for (int i = 0; i < rounds; i++) {
				received += Select.<Integer>select(a.onSend(1, () -> 0), b.onReceive((v) -> 1));
			}
			return received;
		});
		Future<Integer> right = this.threads.submit(() -> {
			int received = 0;
			for (int i = 0; i < rounds; i++) {
				received += Select.<Integer>select(b.onSend(1, () -> 0), a.onReceive((v) -> 1));
			}
			return received;
		});
		assertThat(left.get(120, TimeUnit.SECONDS) + right.get(120, TimeUnit.SECONDS))
			.as("each round, one received what the other sent")
			.isEqualTo(rounds);
	}

	/**
	 * The rendezvous hand-off on virtual threads (Java 21 and later; on Java 17 the same
	 * on platform threads, and CI runs this test again on Java 25): 200 pairs pass 1,000
	 * values each, in order, and parked receivers that are interrupted leave their
	 * channel as it was.
	 */
	@Test
	@Tag("concurrency")
	void rendezvousPairsOnVirtualThreadsPassEveryValueInOrderAndHonourInterrupts() throws Exception {
		ExecutorService virtual = virtualThreadsIfAny();
		try {
			List<Future<Integer>> receivers = new ArrayList<>();
			for (int p = 0; p < 200; p++) {
				Channel<Integer> channel = Channels.rendezvous();
				virtual.submit(() -> {
					for (int i = 0; i < 1000; i++) {
						channel.put(i);
					}
					return null;
				});
				receivers.add(virtual.submit(() -> {
					for (int i = 0; i < 1000; i++) {
						int value = channel.get();
						if (value != i) {
							return value;
						}
					}
					return -1;
				}));
			}
			for (Future<Integer> receiver : receivers) {
				assertThat(receiver.get(120, TimeUnit.SECONDS)).as("the first value out of order").isEqualTo(-1);
			}
			Channel<Integer> idle = Channels.rendezvous();
			List<Future<Integer>> parked = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				parked.add(virtual.submit(() -> idle.get()));
			}
			for (Future<Integer> receiver : parked) {
				receiver.cancel(true);
			}
			Future<Integer> last = virtual.submit(() -> idle.get());
			await().atMost(Duration.ofSeconds(30)).until(() -> idle.tryPut(42));
			assertThat(last.get(30, TimeUnit.SECONDS)).as("no interrupted receiver took it").isEqualTo(42);
		}
		finally {
			virtual.shutdownNow();
		}
	}

	/**
	 * Java 21's virtual-thread-per-task executor, or (on Java 17) a platform-thread one,
	 * saying so.
	 */
	private static ExecutorService virtualThreadsIfAny() throws Exception {
		try {
			return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
		}
		catch (NoSuchMethodException ex) {
			System.out.println("ChannelTests: Java " + Runtime.version().feature()
					+ " has no virtual threads; the rendezvous pairs run on platform threads (CI runs them again on"
					+ " Java 25)");
			return Executors.newCachedThreadPool();
		}
	}

	private static <T> List<T> iterateUntilEmpty(Channel<T> channel) {
		List<T> values = new ArrayList<>();
		for (T value; (value = channel.tryGet()) != null;) {
			values.add(value);
		}
		return values;
	}

}
