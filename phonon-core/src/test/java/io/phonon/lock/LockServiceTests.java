package io.phonon.lock;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phonon.PhononBackendException;
import io.phonon.backend.memory.MemoryBackend;
import io.phonon.backend.support.ForwardingLockBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * What {@link LockService} adds above the engine: scopes, renewal, hand-off of scopes to
 * a {@code CompletionStage}, meters, and its answers to bad input. On the memory engine.
 */
class LockServiceTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final LockBackend backend = MemoryBackend.locks();

	private final LockService locks = LockService.builder(this.backend).meterRegistry(this.registry).build();

	private final ExecutorService others = Executors.newCachedThreadPool();

	@AfterEach
	void close() throws Exception {
		this.others.shutdownNow();
		((AutoCloseable) this.locks).close();
	}

	@Test
	void currentLeaseIsTheInnermostScope() {
		assertThat(Lease.current()).isEmpty();
		this.locks.withLock("outer", LockOptions.defaults(), () -> {
			Lease outer = Lease.current().orElseThrow();
			assertThat(outer.id()).isEqualTo("outer");
			this.locks.withLock("inner", LockOptions.defaults(), () -> {
				assertThat(Lease.current().orElseThrow().id()).isEqualTo("inner");
				return null;
			});
			assertThat(Lease.current()).containsSame(outer);
			return null;
		});
		assertThat(Lease.current()).isEmpty();
	}

	/**
	 * The action outlives its first lease: it waits until the lease's end has moved a
	 * whole lease past its first end, judged from the lease's own history rather than
	 * from a sleep. A lease of 3 s, renewed every second, leaves the renewer two seconds
	 * of slack on a loaded machine.
	 */
	@Test
	void withLockRenewsTheLeaseWhileTheActionRuns() throws Exception {
		Duration leaseTime = Duration.ofSeconds(3);
		LockOptions shortLease = LockOptions.defaults().withName("renewed").withLease(leaseTime);
		this.locks.withLock("long-running", shortLease, () -> {
			Lease lease = Lease.current().orElseThrow();
			Instant firstEnd = lease.expiresAt();
			await().atMost(Duration.ofSeconds(60)).until(() -> lease.expiresAt().isAfter(firstEnd.plus(leaseTime)));
			assertThat(lease.isValid()).isTrue();
			assertThat(tryAcquireOnOtherThread("long-running")).isFalse();
			return null;
		});
		assertThat(this.registry.get("phonon.lock.lost").tag("name", "renewed").counter().count()).isZero();
	}

	@Test
	void leaseThatExpiresWhileHeldIsCountedAsLost() {
		Lease lease = this.locks.acquire("forgotten",
				LockOptions.defaults().withName("forgotten").withLease(Duration.ofMillis(100)));
		await().atMost(Duration.ofSeconds(10)).until(() -> !lease.isValid());
		lease.close();
		assertThat(this.registry.get("phonon.lock.lost").tag("name", "forgotten").counter().count()).isEqualTo(1);
	}

	/**
	 * An engine's answer that comes after the lease ran out (a flood of requests on few
	 * cores, here a delay) is no lock: a section the service runs never starts on it. The
	 * engine's history shows the first lock given back and taken again.
	 */
	@Test
	void aLockAnsweredAfterItsLeaseRanOutIsGivenBackAndAskedForAgain() throws Exception {
		Duration lease = Duration.ofMillis(200);
		LateAnswers engine = new LateAnswers(this.backend, lease.plusMillis(100));
		LockService service = LockService.builder(engine).build();
		try {
			engine.late.set(1);
			LockOptions options = LockOptions.defaults().withLease(lease).withWait(Duration.ofSeconds(30));
			Lease inSection = service.withLock("late", options, () -> {
				assertThat(Lease.current().orElseThrow().isValid()).isTrue();
				return Lease.current().orElseThrow();
			});
			assertThat(engine.history).containsExactly("acquired late late", "released late", "acquired late in time",
					"released late");
			assertThat(inSection.token()).isGreaterThan(engine.firstToken);
			// Without a wait, it is not taken, the caller hears why, and the engine's
			// lock is
			// free again.
			engine.late.set(1);
			assertThatExceptionOfType(PhononBackendException.class)
				.isThrownBy(() -> service.withLock("late-again", options.withWait(Duration.ZERO), () -> "ran"))
				.withMessageContaining(
						"failed to take lock 'late-again' in time: it answered after the lease of" + " PT0.2S ran out");
			assertThat(this.backend.tryAcquire("late-again", "someone else", lease)).isPresent();
			// A lease handed to the caller comes as it is, and says it ran out.
			engine.late.set(1);
			assertThat(service.tryAcquire("handed", options.withWait(Duration.ZERO))).get()
				.extracting(Lease::isValid)
				.isEqualTo(false);
		}
		finally {
			((AutoCloseable) service).close();
		}
	}

	@Test
	void lockIsHeldUntilAReturnedCompletionStageCompletes() throws Exception {
		CompletableFuture<String> work = new CompletableFuture<>();
		CompletableFuture<String> returned = this.locks.withLock("async", LockOptions.defaults(), () -> work);
		assertThat(returned).isSameAs(work);
		assertThat(Lease.current()).isEmpty();
		assertThat(tryAcquireOnOtherThread("async")).isFalse();
		work.complete("done");
		assertThat(tryAcquireOnOtherThread("async")).isTrue();
	}

	@Test
	void failingActionReleasesTheLockAndItsExceptionPassesUnchanged() throws Exception {
		IllegalStateException failure = new IllegalStateException("boom");
		assertThatIllegalStateException()
			.isThrownBy(() -> this.locks.withLock("failing", LockOptions.defaults(), () -> {
				throw failure;
			}))
			.isSameAs(failure);
		assertThat(tryAcquireOnOtherThread("failing")).isTrue();
	}

	@Test
	void reentrancyNeverCrossesEngines() {
		LockService otherEngine = LockService.builder(MemoryBackend.locks()).build();
		try (Lease mine = this.locks.acquire("shared", LockOptions.defaults());
				Lease theirs = otherEngine.acquire("shared", LockOptions.defaults())) {
			assertThat(theirs).isInstanceOf(HeldLease.class);
			theirs.close();
			assertThat(mine.isValid()).isTrue();
		}
	}

	@Test
	void interruptedWaiterGetsCancellationAndKeepsItsInterruptStatus() throws Exception {
		Lease held = this.others.submit(() -> this.locks.acquire("held", LockOptions.defaults()))
			.get(10, TimeUnit.SECONDS);
		AtomicReference<Throwable> outcome = new AtomicReference<>();
		AtomicReference<Boolean> interrupted = new AtomicReference<>();
		Thread waiter = new Thread(() -> {
			try {
				this.locks.acquire("held", LockOptions.defaults().withWait(Duration.ofMinutes(5)));
			}
			catch (Throwable ex) {
				outcome.set(ex);
				interrupted.set(Thread.currentThread().isInterrupted());
			}
		});
		waiter.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
		waiter.interrupt();
		waiter.join(10_000);
		assertThat(outcome.get()).isInstanceOf(CancellationException.class).hasMessageContaining("'held'");
		assertThat(interrupted.get()).isTrue();
		held.close();
	}

	@Test
	void metersCarryNameBackendAndOutcomeButNeverTheKey() throws Exception {
		LockOptions records = LockOptions.defaults().withName("records");
		Lease lease = this.locks.acquire("records:42", records);
		assertThat(this.registry.get("phonon.lock.active")
			.tags("name", "records", "backend", "memory")
			.longTaskTimer()
			.activeTasks()).isEqualTo(1);
		this.others.submit(() -> this.locks.tryAcquire("records:42", records)).get(10, TimeUnit.SECONDS);
		lease.close();
		assertThat(
				this.registry.get("phonon.lock.acquire").tags("name", "records", "outcome", "acquired").timer().count())
			.isEqualTo(1);
		assertThat(
				this.registry.get("phonon.lock.acquire").tags("name", "records", "outcome", "timeout").timer().count())
			.isEqualTo(1);
		assertThat(this.registry.get("phonon.lock.active").longTaskTimer().activeTasks()).isZero();
		assertThat(this.registry.get("phonon.lock.lost").counter().count()).isZero();
		for (Meter meter : this.registry.getMeters()) {
			assertThat(meter.getId().getDescription()).as(meter.getId().getName()).isNotBlank();
			assertThat(meter.getId().getTags()).allSatisfy((tag) -> assertThat(tag.getValue()).doesNotContain("42"));
		}
	}

	@Test
	void withLockLetsTheActionsCheckedExceptionOutUnchangedAndReleases() {
		IOException diskFull = new IOException("disk full");
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> this.locks.withLock("files:1", LockOptions.defaults(), () -> {
				throw diskFull;
			}))
			.isSameAs(diskFull);
		assertThat(tryAcquireOnOtherThread("files:1")).as("released after the failure").isTrue();
		// A lambda that throws no checked exception needs no catch, as with the Supplier
		// overload.
		String result = this.locks.withLock("files:1", LockOptions.defaults(), () -> "written");
		assertThat(result).isEqualTo("written");
	}

	@Test
	void badOptionsAndIdsAreRefusedWithTheReason() {
		assertThatIllegalArgumentException().isThrownBy(() -> LockOptions.defaults().withLease(Duration.ofSeconds(-1)))
			.withMessageContaining("lease must be positive");
		assertThatIllegalArgumentException().isThrownBy(() -> LockOptions.defaults().withLease(Duration.ZERO));
		assertThatIllegalArgumentException().isThrownBy(() -> LockOptions.defaults().withWait(Duration.ofMillis(-5)))
			.withMessageContaining("wait must be zero or positive");
		assertThatIllegalArgumentException().isThrownBy(() -> LockOptions.defaults().withName(" "));
		assertThatIllegalArgumentException().isThrownBy(() -> this.locks.acquire("", LockOptions.defaults()))
			.withMessageContaining("must not be null or empty");
	}

	private boolean tryAcquireOnOtherThread(String id) {
		try {
			return this.others.submit(() -> {
				var lease = this.locks.tryAcquire(id, LockOptions.defaults());
				lease.ifPresent(Lease::close);
				return lease.isPresent();
			}).get(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The memory engine, answering the next {@link #late} acquisitions after a delay. */
	private static final class LateAnswers extends ForwardingLockBackend {

		private final long delayMillis;

		final AtomicInteger late = new AtomicInteger();

		final List<String> history = new CopyOnWriteArrayList<>();

		volatile long firstToken;

		LateAnswers(LockBackend engine, Duration delay) {
			super(engine);
			this.delayMillis = delay.toMillis();
		}

		@Override
		public OptionalLong tryAcquire(String id, String owner, Duration lease) {
			OptionalLong token = super.tryAcquire(id, owner, lease);
			if (token.isPresent() && this.late.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) {
				this.firstToken = token.getAsLong();
				sleep(this.delayMillis);
				this.history.add("acquired " + id + " late");
			}
			else if (token.isPresent()) {
				this.history.add("acquired " + id + " in time");
			}
			return token;
		}

		@Override
		public boolean release(String id, String owner) {
			this.history.add("released " + id);
			return super.release(id, owner);
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

}
