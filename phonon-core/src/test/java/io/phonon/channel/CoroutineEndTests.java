package io.phonon.channel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/**
 * How a coroutine ends: the caller's close ends it both ways, a body parked in
 * {@code put} or {@code get} wakes and its thread ends; a body that ends refuses the
 * caller's sends; and {@code Select.any} over coroutines that end one by one.
 */
class CoroutineEndTests {

	/** Every body on a thread of its own, kept so the test can see it end. */
	private final List<Thread> threads = new CopyOnWriteArrayList<>();

	private final AtomicInteger numbers = new AtomicInteger();

	private final Executor threadPerBody = (command) -> {
		Thread thread = new Thread(command, "coroutine-" + this.numbers.incrementAndGet());
		thread.setDaemon(true);
		this.threads.add(thread);
		thread.start();
	};

	private final ObservationRegistry observations = ObservationRegistry.create();

	private final AtomicInteger failed = new AtomicInteger();

	{
		this.observations.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public void onError(Observation.Context context) {
				CoroutineEndTests.this.failed.incrementAndGet();
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

		});
	}

	private final Coroutines coroutines = new Coroutines(this.threadPerBody, null, this.observations);

	@Test
	void aThousandAbandonedCoroutinesParkedInPutAndMoreInGetLeaveNoLiveThreadAfterTheirCallersClose() {
		List<Channel<Integer>> callers = new ArrayList<>();
		for (int i = 0; i < 1250; i++) {
			int capacity = i % 3; // rendezvous, then a buffer of 1 and of 2: each body
									// ends up parked
			if (i >= 1000) {
				callers.add(this.coroutines.go(capacity, (self) -> self.get())); // parked
																					// in
																					// get
			}
			else {
				callers.add(this.coroutines.go(capacity, (self) -> {
					for (int n = 0;; n++) {
						self.put(n); // parked in put once nobody takes
					}
				}));
			}
		}
		for (Channel<Integer> caller : callers) {
			caller.tryGet(); // the caller took what it wanted, or nothing
			caller.close();
		}
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(this.threads).hasSize(1250).noneMatch(Thread::isAlive));
		assertThat(this.coroutines.active()).isZero();
		assertThat(this.failed.get()).as("bodies stopped by their callers that were observed as failed").isZero();
	}

	@Test
	void afterTheCallerClosesBothEndsAreClosedAndTheBodySeesWhy() throws Exception {
		CountDownLatch parked = new CountDownLatch(1);
		AtomicReference<Throwable> seen = new AtomicReference<>();
		AtomicReference<Boolean> openInside = new AtomicReference<>();
		CountDownLatch ended = new CountDownLatch(1);
		Channel<String> caller = this.coroutines.go(0, (self) -> {
			try {
				parked.countDown();
				self.put("never taken");
			}
			catch (ChannelClosedException ex) {
				seen.set(ex);
				openInside.set(self.isOpen());
			}
			finally {
				ended.countDown();
			}
		});
		parked.await();
		caller.close();
		assertThat(ended.await(30, TimeUnit.SECONDS)).isTrue();
		assertThat(seen.get()).isInstanceOf(ChannelClosedException.class);
		assertThat(openInside.get()).as("the body's end").isFalse();
		assertThat(caller.isOpen()).as("the caller's end").isFalse();
	}

	@Test
	void theCallersErrorReachesABodyParkedInGet() throws Exception {
		AtomicReference<Throwable> seen = new AtomicReference<>();
		CountDownLatch ended = new CountDownLatch(1);
		Channel<String> caller = this.coroutines.go(4, (self) -> {
			try {
				self.get();
			}
			catch (ChannelClosedException ex) {
				seen.set(ex.getCause());
			}
			finally {
				ended.countDown();
			}
		});
		IllegalStateException cause = new IllegalStateException("the caller gave up");
		caller.error(cause);
		assertThat(ended.await(30, TimeUnit.SECONDS)).isTrue();
		assertThat(seen.get()).isSameAs(cause);
	}

	@Test
	void aCallerSendingToABodyThatEndedIsRefusedInsteadOfWaitingForEver() throws Exception {
		Channel<Integer> caller = this.coroutines.go(0, (self) -> self.put(1));
		assertThat(caller.get()).isEqualTo(1);
		assertThatExceptionOfType(ChannelClosedException.class).isThrownBy(caller::get);
		assertThatExceptionOfType(ChannelClosedException.class)
			.isThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(30), () -> caller.put(2)));
		assertThat(caller.isOpen()).isFalse();
	}

	@Test
	void aBodyThatClosesItsOwnEndCanStillReadWhatTheCallerSends() throws Exception {
		Channel<Integer> caller = this.coroutines.go(4, (self) -> {
			self.close();
			int sum = 0;
			for (int i = 0; i < 3; i++) {
				sum += self.get();
			}
			if (sum != 6) {
				throw new IllegalStateException("read " + sum);
			}
		});
		for (int i = 1; i <= 3; i++) {
			caller.put(i);
		}
		assertThatExceptionOfType(ChannelClosedException.class).isThrownBy(caller::get)
			.satisfies((ex) -> assertThat(ex.isError()).as("the body read all three").isFalse());
	}

	@Test
	void selectAnyOverCoroutinesThatEndOneByOneReceivesEveryValue() throws Exception {
		for (int capacity : new int[] { 0, 1, 16 }) {
			List<Channel<Integer>> callers = new ArrayList<>();
			for (int c = 1; c <= 3; c++) {
				int count = c;
				callers.add(this.coroutines.go(capacity, (self) -> {
					for (int n = 0; n < count; n++) {
						self.put(count * 10 + n);
					}
				}));
			}
			List<Integer> received = new ArrayList<>();
			@SuppressWarnings("unchecked")
			Channel<Integer>[] channels = callers.toArray(new Channel[0]);
			assertThatExceptionOfType(ChannelClosedException.class).isThrownBy(() -> {
				for (;;) {
					received.add(Select.any(channels).value());
				}
			}).withMessageContaining("Every channel");
			assertThat(received).as("capacity " + capacity).containsExactlyInAnyOrder(10, 20, 21, 30, 31, 32);
		}
	}

	@Test
	void aSelectOverCoroutineEndsSendsAndReceives() throws Exception {
		Channel<String> echo = this.coroutines.go(0, (self) -> {
			for (String word : self) {
				self.put(word.toUpperCase());
			}
		});
		String sent = Select.select(echo.onSend("hello", () -> "sent"),
				Select.timeout(Duration.ofSeconds(30), () -> "timed out"));
		assertThat(sent).isEqualTo("sent");
		assertThat(Select.<String>select(echo.onReceive((word) -> word))).isEqualTo("HELLO");
		echo.close();
	}

}
