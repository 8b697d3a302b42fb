package io.phonon.lock;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phonon.backend.memory.MemoryBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * What {@link ReactiveLockService} adds above the lock service on an engine that blocks
 * (the memory engine): a bounded queue of subscriptions waiting for a thread.
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

}
