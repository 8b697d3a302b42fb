package io.phonon.lock;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phonon.PhononStoppedException;
import io.phonon.Stoppable;
import io.phonon.testsupport.FaultyLockBackend;
import io.phonon.testsupport.FaultyLockBackend.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The lock service through the moments of production life: renewals that hang or are
 * refused, and a stop while sections run. Judged by histories (who held, who entered
 * after whom, what was told), never by how much happened in a time window.
 */
class LockServiceLifeTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final FaultyLockBackend backend = new FaultyLockBackend();

	private final LockService locks = LockService.builder(this.backend).meterRegistry(this.registry).build();

	/** Another instance over the same engine. */
	private final LockService other = LockService.builder(this.backend).build();

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private final ConcurrentLinkedQueue<String> history = new ConcurrentLinkedQueue<>();

	@AfterEach
	void close() throws Exception {
		this.backend.heal();
		this.threads.shutdownNow();
		((AutoCloseable) this.locks).close();
		((AutoCloseable) this.other).close();
	}

	@Test
	void aRenewalThatHangsLosesItsLeaseWhenTheLeaseRunsOutAndDoesNotHoldUpTheOthers() throws Exception {
		this.backend.fail("hanging", Fault.STALL);
		LockOptions options = LockOptions.defaults().withName("life").withLease(Duration.ofSeconds(1));
		CountDownLatch told = new CountDownLatch(1);
		CountDownLatch hangingLost = new CountDownLatch(1);
		Future<Boolean> hanging = this.threads.submit(() -> this.locks.withLock("hanging", options, () -> {
			Lease lease = Lease.current().orElseThrow();
			lease.onLost(told::countDown);
			block(hangingLost);
			return lease.isValid();
		}));
		AtomicBoolean healthyValid = new AtomicBoolean(true);
		this.locks.withLock("healthy", options, () -> {
			Lease lease = Lease.current().orElseThrow();
			// Three leases long: the healthy lease lives on renewals alone, while the
			// other one hangs.
			for (int i = 0; i < 30; i++) {
				sleep(100);
				healthyValid.compareAndSet(true, lease.isValid());
			}
			return null;
		});
		assertThat(told.await(30, TimeUnit.SECONDS)).as("onLost ran for the hanging renewal").isTrue();
		hangingLost.countDown();
		assertThat(hanging.get(30, TimeUnit.SECONDS)).as("the hanging lease is reported invalid").isFalse();
		assertThat(healthyValid).as("the healthy lease stayed valid throughout").isTrue();
		assertThat(this.registry.get("phonon.lock.lost").counter().count()).isEqualTo(1);
	}

	@Test
	void aRefusedRenewalTellsTheWorkOnce() throws Exception {
		this.backend.fail("refused", Fault.REFUSE);
		AtomicInteger told = new AtomicInteger();
		CountDownLatch lost = new CountDownLatch(1);
		this.locks.withLock("refused", LockOptions.defaults().withLease(Duration.ofMillis(600)), () -> {
			Lease lease = Lease.current().orElseThrow();
			lease.onLost(told::incrementAndGet);
			lease.onLost(lost::countDown);
			block(lost);
			lease.onLost(told::incrementAndGet); // lost already: runs at once
			return null;
		});
		assertThat(told).hasValue(2);
		try (Lease lease = this.locks.acquire("closed", LockOptions.defaults())) {
			lease.onLost(told::incrementAndGet);
		}
		assertThat(told).as("a lease closed normally is never lost").hasValue(2);
	}

	@Test
	void stoppingLetsRunningSectionsEndWithTheirLeasesAndRefusesNewLocks() throws Exception {
		LockOptions options = LockOptions.defaults().withLease(Duration.ofSeconds(1));
		CountDownLatch entered = new CountDownLatch(1);
		CountDownLatch finish = new CountDownLatch(1);
		Future<?> section = this.threads.submit(() -> this.locks.withLock("job", options, () -> {
			this.history.add("job entered " + Lease.current().orElseThrow().token());
			entered.countDown();
			block(finish);
			this.history.add("job ended, lease valid " + Lease.current().orElseThrow().isValid());
			return null;
		}));
		assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
		AtomicBoolean stopping = new AtomicBoolean(true);
		Future<?> contender = this.threads.submit(() -> {
			while (stopping.get()) {
				Optional<Lease> lease = this.other.tryAcquire("job", options);
				if (lease.isPresent()) {
					this.history.add("other entered " + lease.get().token());
					lease.get().close();
					return;
				}
				sleep(20);
			}
		});
		Future<?> stop = this.threads
			.submit(() -> ((Stoppable) this.locks).stop(System.nanoTime() + TimeUnit.MINUTES.toNanos(1)));
		await().atMost(Duration.ofSeconds(30)).until(() -> !((Stoppable) this.locks).isRunning());
		assertThatExceptionOfType(PhononStoppedException.class)
			.isThrownBy(() -> this.locks.tryAcquire("new", LockOptions.defaults()))
			.withMessageContaining("Lock 'new' was not taken");
		sleep(3_000); // three leases: only renewals keep the section's lock
		finish.countDown();
		section.get(30, TimeUnit.SECONDS);
		stop.get(30, TimeUnit.SECONDS);
		contender.get(30, TimeUnit.SECONDS);
		stopping.set(false);
		List<String> events = List.copyOf(this.history);
		assertThat(events).hasSize(3);
		assertThat(events.get(0)).startsWith("job entered");
		assertThat(events.get(1)).as("the job ended holding its lease, before anyone else entered")
			.isEqualTo("job ended, lease valid true");
		assertThat(events.get(2)).startsWith("other entered");
		assertThat(this.registry.get("phonon.lock.lost").counter().count()).isZero();
	}

	@Test
	void aSectionThatOutlivesTheGracePeriodIsToldAndItsLockReleased() throws Exception {
		CountDownLatch entered = new CountDownLatch(1);
		CountDownLatch told = new CountDownLatch(1);
		CountDownLatch finish = new CountDownLatch(1);
		Future<Boolean> section = this.threads
			.submit(() -> this.locks.withLock("endless", LockOptions.defaults(), () -> {
				Lease lease = Lease.current().orElseThrow();
				lease.onLost(told::countDown);
				entered.countDown();
				block(finish);
				return lease.isValid();
			}));
		assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
		((Stoppable) this.locks).stop(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200));
		assertThat(told.getCount()).as("told before the stop returned").isZero();
		assertThat(this.other.tryAcquire("endless", LockOptions.defaults())).as("released by the stop").isPresent();
		finish.countDown();
		assertThat(section.get(30, TimeUnit.SECONDS)).isFalse();
		assertThat(this.registry.get("phonon.lock.lost").counter().count()).isEqualTo(1);
		((Stoppable) this.locks).start();
		assertThat(this.locks.tryAcquire("again", LockOptions.defaults())).as("started again").isPresent();
	}

	@Test
	void aThreadWaitingForALockFailsFastWhenTheServiceStops() throws Exception {
		try (Lease held = this.other.acquire("busy", LockOptions.defaults())) {
			Future<Lease> waiter = this.threads
				.submit(() -> this.locks.acquire("busy", LockOptions.defaults().withWait(Duration.ofMinutes(5))));
			Thread.sleep(300); // in its wait, most likely; refused at its start
								// otherwise, which fails the same way
			((Stoppable) this.locks).stop(System.nanoTime());
			assertThatExceptionOfType(ExecutionException.class).as("not left waiting out its five minutes")
				.isThrownBy(() -> waiter.get(30, TimeUnit.SECONDS))
				.withCauseInstanceOf(PhononStoppedException.class);
			assertThat(held.isValid()).isTrue();
		}
	}

	private static void block(CountDownLatch latch) {
		try {
			latch.await(60, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
