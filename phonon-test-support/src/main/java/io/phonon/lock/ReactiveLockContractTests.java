package io.phonon.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The contract of {@link ReactiveLockService} on an engine: sections are subscriptions,
 * judged by their histories (who entered and left, with which token), never by how long
 * they took. One subclass per engine supplies a fresh backend for each test.
 */
public abstract class ReactiveLockContractTests {

	/** Longer than any test: only a release, never an expiry, lets the next one in. */
	private static final LockOptions LONG_LEASE = LockOptions.defaults()
		.withLease(Duration.ofMinutes(5))
		.withWait(Duration.ofMinutes(1));

	private static final Duration TEST_TIMEOUT = Duration.ofMinutes(2);

	protected LockBackend backend;

	protected LockService locks;

	protected ReactiveLockService reactiveLocks;

	/**
	 * What the sections did, in order: "enter 7", "leave 7" for the section of token 7.
	 */
	private final List<String> history = Collections.synchronizedList(new ArrayList<>());

	/** Returns a fresh engine for one test. */
	protected abstract LockBackend createBackend() throws Exception;

	@BeforeEach
	void createService() throws Exception {
		this.backend = createBackend();
		this.locks = LockService.builder(this.backend).build();
		this.reactiveLocks = ReactiveLockService.of(this.locks, 16);
	}

	@AfterEach
	void closeService() throws Exception {
		this.reactiveLocks.close();
		((AutoCloseable) this.locks).close();
		this.backend.close();
	}

	@Test
	void concurrentSubscribersOfALockedMonoRunOneAtATimeWithIncreasingTokens() {
		AtomicInteger inside = new AtomicInteger();
		List<Integer> seenInside = Collections.synchronizedList(new ArrayList<>());
		Mono<Long> section = this.reactiveLocks.withLock("report", LONG_LEASE,
				ReactiveLease.current().flatMap((lease) -> {
					seenInside.add(inside.incrementAndGet());
					this.history.add("enter " + lease.token());
					return Mono.delay(Duration.ofSeconds(1)).then(Mono.fromCallable(() -> {
						this.history.add("leave " + lease.token());
						inside.decrementAndGet();
						return lease.token();
					}));
				}));
		List<Long> tokens = Flux.merge(section, section, section).collectList().block(TEST_TIMEOUT);
		assertThat(seenInside).containsExactly(1, 1, 1);
		assertThat(tokens).hasSize(3).doesNotHaveDuplicates();
		List<Long> inOrder = tokens.stream().sorted().toList();
		assertThat(this.history).containsExactly("enter " + inOrder.get(0), "leave " + inOrder.get(0),
				"enter " + inOrder.get(1), "leave " + inOrder.get(1), "enter " + inOrder.get(2),
				"leave " + inOrder.get(2));
	}

	@Test
	void cancellingTheSubscriptionReleasesTheLock() throws InterruptedException {
		CountDownLatch entered = new CountDownLatch(1);
		Disposable holder = this.reactiveLocks
			.withLock("report", LONG_LEASE, Mono.fromRunnable(entered::countDown).then(Mono.never()))
			.subscribe();
		assertThat(entered.await(TEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		Mono<Long> waiter = this.reactiveLocks.withLock("report", LONG_LEASE,
				ReactiveLease.current().map(Lease::token));
		Mono<Long> waiting = waiter.cache();
		waiting.subscribe((token) -> {
		}, (failure) -> {
		});
		holder.dispose();
		// The waiter's wait is shorter than the cancelled holder's lease.
		assertThat(waiting.block(TEST_TIMEOUT)).isPositive();
	}

	@Test
	void aFailingSectionReleasesTheLockAndItsErrorReachesTheSubscriber() {
		Mono<String> failing = this.reactiveLocks.withLock("report", LONG_LEASE,
				Mono.error(new IllegalStateException("report failed")));
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> failing.block(TEST_TIMEOUT))
			.withMessage("report failed");
		assertThat(this.locks.tryAcquire("report", LockOptions.defaults().withWait(Duration.ofMinutes(1))))
			.hasValueSatisfying(Lease::close);
	}

	@Test
	void aFluxEmittingForLongerThanThreeLeasesKeepsItsLease() {
		// At least a second, so that renewals keep pace on a loaded host.
		Duration shortest = this.backend.shortestLease();
		Duration lease = (shortest.compareTo(Duration.ofSeconds(1)) > 0) ? shortest : Duration.ofSeconds(1);
		LockOptions options = LockOptions.defaults().withLease(lease).withWait(Duration.ofMinutes(1));
		int ticks = 8;
		Duration tick = lease.multipliedBy(4).dividedBy(ticks).plusMillis(1);
		List<Boolean> othersGotIn = Collections.synchronizedList(new ArrayList<>());
		List<Long> tokens = this.reactiveLocks.withLock("stream", options, ReactiveLease.current()
			.flatMapMany((held) -> Flux.interval(tick).take(ticks).publishOn(Schedulers.boundedElastic()).map((i) -> {
				othersGotIn.add(
						this.locks.tryAcquire("stream", LockOptions.defaults().withWait(Duration.ZERO)).map((other) -> {
							other.close();
							return true;
						}).orElse(false));
				assertThat(held.isValid()).as("the lease after " + (i + 1) + " ticks").isTrue();
				return held.token();
			}))).collectList().block(TEST_TIMEOUT);
		assertThat(tokens).hasSize(ticks).containsOnly(tokens.get(0));
		assertThat(othersGotIn).hasSize(ticks).containsOnly(false);
	}

	@Test
	void aSectionNestedInTheSubscriptionJoinsItsLease() {
		LockOptions noWait = LONG_LEASE.withWait(Duration.ZERO);
		List<Long> tokens = this.reactiveLocks
			.withLock("report", noWait,
					ReactiveLease.current()
						.flatMap((outer) -> this.reactiveLocks.withLock("report", noWait,
								ReactiveLease.current().map((inner) -> List.of(outer.token(), inner.token())))))
			.block(TEST_TIMEOUT);
		assertThat(tokens).hasSize(2).containsOnly(tokens.get(0));
	}

	@Test
	void aLockHeldForTheWholeWaitSignalsAlreadyLockedWithoutSubscribingTheSection() {
		AtomicInteger subscribed = new AtomicInteger();
		try (Lease held = this.locks.acquire("report", LONG_LEASE)) {
			Mono<String> section = this.reactiveLocks.withLock("report", LONG_LEASE.withWait(Duration.ofMillis(100)),
					Mono.fromCallable(() -> {
						subscribed.incrementAndGet();
						return "ran";
					}));
			assertThatExceptionOfType(AlreadyLockedException.class).isThrownBy(() -> section.block(TEST_TIMEOUT));
			assertThat(held.isValid()).isTrue();
		}
		assertThat(subscribed).hasValue(0);
	}

	@Test
	void aSubscriptionCancelledWhileWaitingLeavesNoLeaseBehind() throws InterruptedException {
		Lease held = this.locks.acquire("report", LONG_LEASE);
		Disposable waiter = this.reactiveLocks.withLock("report", LONG_LEASE, Mono.just("ran")).subscribe();
		waiter.dispose();
		held.close();
		// Whether the cancelled waiter was still waiting or had just taken the lock, the
		// lock comes free long before its lease of minutes would expire.
		assertThat(this.locks.tryAcquire("report", LockOptions.defaults().withWait(Duration.ofMinutes(1))))
			.hasValueSatisfying(Lease::close);
		assertThat(this.locks.held()).isEmpty();
	}

}
