package io.phonon.lock;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phonon.PhononBackendException;
import io.phonon.backend.memory.MemoryBackend;
import io.phonon.backend.support.ForwardingLockBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * What {@link ReactiveLockService} adds above the lock service, on the memory engine: a
 * bounded queue of subscriptions waiting for a thread, and, through a decorator that
 * answers without blocking and late, what a section does with a lease that ran out before
 * the answer came.
 */
class ReactiveLockServiceTests {

	private static final Duration TIMEOUT = Duration.ofMinutes(1);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final DefaultLockService locks = (DefaultLockService) LockService.builder(MemoryBackend.locks())
		.meterRegistry(this.registry)
		.build();

	/** One waiting thread, and room for one more subscription in its queue. */
	private final ReactiveLockService reactiveLocks = new DefaultReactiveLockService(this.locks, 1, 1);

	@AfterEach
	void close() throws Exception {
		this.reactiveLocks.close();
		((AutoCloseable) this.locks).close();
	}

	@Test
	void aSubscriptionBeyondTheQueueIsRefusedWithWhatToChange() throws Exception {
		LockOptions waiting = LockOptions.defaults().withWait(Duration.ofMinutes(5));
		try (Lease busy = this.locks.acquire("busy", waiting)) {
			CompletableFuture<String> running = this.reactiveLocks.withLock("busy", waiting, Mono.just("first"))
				.toFuture();
			// Queued tasks count against the bound, a running one does not.
			await().atMost(TIMEOUT).until(ReactiveLockServiceTests::aThreadWaitsForTheLock);
			CompletableFuture<String> queued = this.reactiveLocks.withLock("busy", waiting, Mono.just("second"))
				.toFuture();
			assertThatException()
				.isThrownBy(() -> this.reactiveLocks.withLock("busy", waiting, Mono.just("third")).block(TIMEOUT))
				.isInstanceOf(RejectedExecutionException.class)
				.withMessageContaining("Lock 'busy' was not taken")
				.withMessageContaining("raise phonon.lock.reactive-threads");
			assertThat(this.registry.get("phonon.lock.acquire").tag("outcome", "failed").timer().count()).isEqualTo(1);
			busy.close();
			assertThat(running).succeedsWithin(TIMEOUT).isEqualTo("first");
			assertThat(queued).succeedsWithin(TIMEOUT).isEqualTo("second");
		}
	}

	private static boolean aThreadWaitsForTheLock() {
		return Thread.getAllStackTraces()
			.entrySet()
			.stream()
			.anyMatch((thread) -> thread.getKey().getName().startsWith("phonon-lock") && Arrays
				.stream(thread.getValue())
				.anyMatch((frame) -> frame.getClassName().equals(DefaultLockService.Acquisition.class.getName())));
	}

	@Test
	void aWaitCancelledWhileQueuedEndsAsAFailedAcquisition() throws Exception {
		LockOptions waiting = LockOptions.defaults().withWait(Duration.ofMinutes(5));
		try (Lease busy = this.locks.acquire("busy", waiting)) {
			CompletableFuture<String> running = this.reactiveLocks.withLock("busy", waiting, Mono.just("first"))
				.toFuture();
			await().atMost(TIMEOUT).until(ReactiveLockServiceTests::aThreadWaitsForTheLock);
			this.reactiveLocks.withLock("busy", waiting, Mono.just("second")).subscribe().dispose();
			assertThat(this.registry.get("phonon.lock.acquire").tag("outcome", "failed").timer().count()).isEqualTo(1);
			busy.close();
			assertThat(running).succeedsWithin(TIMEOUT).isEqualTo("first");
		}
	}

	@Test
	void aLockAnsweredWithoutBlockingAfterItsLeaseRanOutIsGivenBackAndNoSectionStartsOnIt() throws Exception {
		LateAnswers engine = new LateAnswers();
		DefaultLockService lateLocks = (DefaultLockService) LockService.builder(engine).build();
		try (ReactiveLockService reactive = ReactiveLockService.of(lateLocks, 1)) {
			AtomicInteger started = new AtomicInteger();
			LockOptions noWait = LockOptions.defaults().withLease(LateAnswers.LEASE).withWait(Duration.ZERO);
			assertThatException().isThrownBy(
					() -> reactive.withLock("late", noWait, Mono.fromRunnable(started::incrementAndGet)).block(TIMEOUT))
				.isInstanceOf(PhononBackendException.class)
				.withMessageContaining("answered after the lease");
			assertThat(started).hasValue(0);
			await().atMost(TIMEOUT).until(() -> engine.givenBack.equals(engine.answeredLate));
			// With time left to wait, it asks again, on a thread that may block.
			LockOptions waiting = noWait.withWait(Duration.ofMinutes(1));
			Long token = reactive
				.withLock("late", waiting,
						ReactiveLease.current().doOnNext((lease) -> started.incrementAndGet()).map(Lease::token))
				.block(TIMEOUT);
			assertThat(started).hasValue(1);
			assertThat(engine.answeredLate).hasSize(2);
			assertThat(token).isPositive();
		}
		finally {
			((AutoCloseable) lateLocks).close();
		}
	}

	/**
	 * The memory engine, answering requests sent without blocking only after the lease
	 * they asked for ran out (a pause, a loaded host); the blocking calls answer at once.
	 */
	static final class LateAnswers extends ForwardingLockBackend {

		static final Duration LEASE = Duration.ofMillis(50);

		/** The owners whose acquisitions were answered late. */
		final List<String> answeredLate = new CopyOnWriteArrayList<>();

		/** The owners released without blocking. */
		final List<String> givenBack = new CopyOnWriteArrayList<>();

		LateAnswers() {
			super(MemoryBackend.locks());
		}

		@Override
		public boolean callsWithoutBlocking() {
			return true;
		}

		@Override
		public CompletionStage<OptionalLong> tryAcquireAsync(String id, String owner, Duration lease) {
			OptionalLong token = delegate().tryAcquire(id, owner, lease);
			this.answeredLate.add(owner);
			return CompletableFuture.supplyAsync(() -> token,
					CompletableFuture.delayedExecutor(2 * lease.toMillis(), TimeUnit.MILLISECONDS));
		}

		@Override
		public CompletionStage<Boolean> releaseAsync(String id, String owner) {
			this.givenBack.add(owner);
			return CompletableFuture.completedFuture(delegate().release(id, owner));
		}

	}

}
