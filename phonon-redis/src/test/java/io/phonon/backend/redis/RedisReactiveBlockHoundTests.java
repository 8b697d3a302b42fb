package io.phonon.backend.redis;

import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

import io.phonon.blockhound.PhononBlockHoundIntegration;
import io.phonon.lock.Lease;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockOptions;
import io.phonon.lock.ReactiveLease;
import io.phonon.lock.ReactiveLockContractTests;
import io.phonon.lock.ReactiveLockService;
import io.phonon.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.blockhound.integration.BlockHoundIntegration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * The reactive lock contract on Redis, under BlockHound, which watches every non-blocking
 * thread (Reactor's parallel scheduler, Netty's event loops) and records any blocking
 * call there, even one whose error an operator would drop. On top of the contract,
 * sections are taken, waited for, completed, failed and cancelled from such threads. Runs
 * in a JVM of its own (see the module's pom).
 */
@Tag("concurrency")
class RedisReactiveBlockHoundTests extends ReactiveLockContractTests {

	private static final List<String> blockingCalls = new CopyOnWriteArrayList<>();

	private static final Duration TIMEOUT = Duration.ofMinutes(2);

	@BeforeAll
	static void installBlockHound() {
		BlockHound.install((builder) -> builder.blockingMethodCallback((method) -> {
			blockingCalls.add(method + " on " + Thread.currentThread().getName());
			throw new BlockingOperationError(method);
		}));
	}

	@Override
	protected LockBackend createBackend() {
		return RedisBackend.locks(TestRedis.connectionFactory(), "phonon-test-" + UUID.randomUUID());
	}

	@BeforeEach
	void forgetBlockingCalls() {
		blockingCalls.clear();
	}

	@AfterEach
	void noBlockingCallOnANonBlockingThread() {
		assertThat(blockingCalls).as("blocking calls on non-blocking threads").isEmpty();
	}

	@Test
	void blockHoundRecordsABlockingCallOnANonBlockingThread() {
		Mono<Long> sleeping = Mono.delay(Duration.ofMillis(1)).doOnNext((tick) -> {
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		assertThatException().isThrownBy(() -> sleeping.block(TIMEOUT));
		assertThat(blockingCalls).singleElement().asString().contains("sleep", "parallel");
		blockingCalls.clear();
	}

	@Test
	void phononTellsBlockHoundWhichOfItsWaitsAreNoBlockingCalls() {
		assertThat(ServiceLoader.load(BlockHoundIntegration.class))
			.anyMatch(PhononBlockHoundIntegration.class::isInstance);
	}

	@Test
	void sectionsTakenWaitedForEndedAndCancelledFromNonBlockingThreadsNeverBlockThem() {
		LockOptions waiting = LockOptions.defaults().withLease(Duration.ofMinutes(5)).withWait(Duration.ofMinutes(1));
		// Eight sections on each of two ids: most wait, woken by Redis's release notices.
		List<Integer> done = Flux.range(0, 16)
			.flatMap((i) -> this.reactiveLocks
				.withLock("id-" + (i % 2), waiting, Mono.delay(Duration.ofMillis(5)).thenReturn(i))
				.subscribeOn(Schedulers.parallel()))
			.collectList()
			.block(TIMEOUT);
		assertThat(done).hasSize(16);
		// A failing section, and one cancelled by a timeout on a parallel thread.
		assertThatException()
			.isThrownBy(() -> this.reactiveLocks
				.withLock("id-0", waiting,
						Mono.delay(Duration.ofMillis(5)).then(Mono.error(new IllegalStateException())))
				.subscribeOn(Schedulers.parallel())
				.block(TIMEOUT))
			.isInstanceOf(IllegalStateException.class);
		assertThatException()
			.isThrownBy(() -> this.reactiveLocks.withLock("id-1", waiting, Mono.never())
				.timeout(Duration.ofMillis(200))
				.subscribeOn(Schedulers.parallel())
				.block(TIMEOUT))
			.withCauseInstanceOf(TimeoutException.class);
		// Both ended sections left their locks free.
		assertThat(this.reactiveLocks.withLock("id-0", waiting, Mono.just("free"))
			.then(this.reactiveLocks.withLock("id-1", waiting, Mono.just("free")))
			.subscribeOn(Schedulers.parallel())
			.block(TIMEOUT)).isEqualTo("free");
	}

	@Test
	void aFreeLockIsTakenAndReleasedWithoutAWaitingThread() {
		LockOptions waiting = LockOptions.defaults().withLease(Duration.ofMinutes(5)).withWait(Duration.ofMinutes(5));
		try (ReactiveLockService oneThread = ReactiveLockService.of(this.locks, 1);
				Lease busy = this.locks.acquire("busy", waiting)) {
			// The only waiting thread waits for "busy" until it is released.
			CompletableFuture<String> waiter = oneThread.withLock("busy", waiting, Mono.just("waited"))
				.subscribeOn(Schedulers.parallel())
				.toFuture();
			await().atMost(TIMEOUT)
				.until(() -> Thread.getAllStackTraces()
					.keySet()
					.stream()
					.anyMatch((thread) -> thread.getName().startsWith("phonon-lock")));
			// A free lock needs no waiting thread: taken, held and released meanwhile.
			Long token = oneThread.withLock("free", waiting, ReactiveLease.current().map(Lease::token))
				.subscribeOn(Schedulers.parallel())
				.block(Duration.ofMinutes(1));
			assertThat(token).isPositive();
			assertThat(this.locks.tryAcquire("free", LockOptions.defaults())).hasValueSatisfying(Lease::close);
			assertThat(waiter).isNotDone();
			busy.close();
			assertThat(waiter).succeedsWithin(TIMEOUT).isEqualTo("waited");
		}
	}

}
