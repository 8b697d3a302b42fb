package io.phonon.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The contract every lock backend keeps, run through {@link LockService} and the SPI
 * directly. One subclass per engine supplies a fresh backend for each test.
 */
public abstract class LockContractTests {

	private static final LockOptions LONG_LEASE = LockOptions.defaults().withLease(Duration.ofMinutes(5));

	protected LockBackend backend;

	protected LockService locks;

	private final ExecutorService others = Executors.newCachedThreadPool();

	/** Returns a fresh engine for one test. */
	protected abstract LockBackend createBackend() throws Exception;

	@BeforeEach
	void createService() throws Exception {
		this.backend = createBackend();
		this.locks = LockService.builder(this.backend).build();
	}

	@AfterEach
	void closeService() throws Exception {
		this.others.shutdownNow();
		((AutoCloseable) this.locks).close();
		this.backend.close();
	}

	@Test
	void holdersExcludeEachOtherAndTokensIncreaseInOrderOfHolding() throws Exception {
		int threads = 6;
		int sections = 40;
		int[] counter = new int[1];
		List<Long> tokens = new ArrayList<>();
		LockOptions options = LONG_LEASE.withWait(Duration.ofMinutes(1));
		List<Future<?>> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			workers.add(this.others.submit(() -> {
				for (int i = 0; i < sections; i++) {
					this.locks.withLock("counter", options, () -> {
						int seen = counter[0];
						Thread.yield();
						counter[0] = seen + 1;
						tokens.add(Lease.current().orElseThrow().token());
						return null;
					});
				}
				return null;
			}));
		}
		for (Future<?> worker : workers) {
			worker.get(2, TimeUnit.MINUTES);
		}
		assertThat(counter[0]).isEqualTo(threads * sections);
		assertThat(tokens).hasSize(threads * sections).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
	}

	@Test
	void lockHeldByAnotherOwnerIsNotGranted() throws Exception {
		Lease held = acquireOnOtherThread("records:1", LONG_LEASE);
		assertThat(this.locks.tryAcquire("records:1", LockOptions.defaults())).isEmpty();
		try (Lease other = this.locks.acquire("records:2", LockOptions.defaults())) {
			assertThat(other.isValid()).isTrue();
		}
		held.close();
		try (Lease freed = this.locks.acquire("records:1", LockOptions.defaults())) {
			assertThat(freed.token()).isGreaterThan(held.token());
		}
	}

	@Test
	void leaseExpiresByItselfAndTheNextHolderGetsAGreaterToken() throws Exception {
		Lease abandoned = acquireOnOtherThread("expiring",
				LockOptions.defaults().withLease(this.backend.shortestLease()));
		assertThat(this.locks.tryAcquire("expiring", LockOptions.defaults())).isEmpty();
		Lease next = this.locks.acquire("expiring", LockOptions.defaults().withWait(Duration.ofSeconds(30)));
		assertThat(abandoned.isValid()).isFalse();
		assertThat(next.token()).isGreaterThan(abandoned.token());
		assertThat(abandoned.extend(Duration.ofMinutes(1))).isFalse();
		next.close();
	}

	@Test
	void aRenewedLeaseShorterThanTheEngineKeepsIsRefusedButAnUnrenewedOneIsNot() {
		Duration tooShort = this.backend.shortestLease().minusMillis(1);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.locks.withLock("brief", LockOptions.defaults().withLease(tooShort), () -> "ran"))
			.withMessageContaining("shorter than the " + this.backend.name() + " engine keeps reliably");
		try (Lease unrenewed = this.locks.acquire("brief", LockOptions.defaults().withLease(tooShort))) {
			assertThat(unrenewed.token()).isPositive();
		}
	}

	@Test
	void releaseAndRenewAreOwnerChecked() {
		assertThat(this.backend.tryAcquire("owned", "alice", Duration.ofMinutes(1))).isPresent();
		assertThat(this.backend.release("owned", "mallory")).isFalse();
		assertThat(this.backend.renew("owned", "mallory", Duration.ofMinutes(1))).isFalse();
		assertThat(this.backend.tryAcquire("owned", "bob", Duration.ofMinutes(1))).isEmpty();
		assertThat(this.backend.renew("owned", "alice", Duration.ofMinutes(1))).isTrue();
		assertThat(this.backend.release("owned", "alice")).isTrue();
		assertThat(this.backend.release("owned", "alice")).isFalse();
		assertThat(this.backend.tryAcquire("owned", "bob", Duration.ofMinutes(1))).isPresent();
	}

	@Test
	void renewAllRenewsWhatEachOwnerStillHoldsAndAnswersInOrder() throws Exception {
		List<LockBackend.Renewal> renewals = new ArrayList<>();
		Duration shortest = this.backend.shortestLease();
		for (int i = 0; i < 40; i++) {
			assertThat(this.backend.tryAcquire("batch-" + i, "alice", Duration.ofMinutes(1))).isPresent();
			// Renewed to the shortest lease: the renewal shows by the lock ending soon.
			renewals.add(new LockBackend.Renewal("batch-" + i, "alice", shortest));
		}
		assertThat(this.backend.tryAcquire("batch-bob", "bob", Duration.ofMinutes(1))).isPresent();
		renewals.add(20, new LockBackend.Renewal("batch-bob", "alice", shortest));
		renewals.add(new LockBackend.Renewal("batch-none", "alice", shortest));
		boolean[] renewed = this.backend.renewAll(renewals);
		assertThat(renewed).hasSize(42);
		for (int i = 0; i < renewed.length; i++) {
			boolean alices = renewals.get(i).id().matches("batch-\\d+");
			assertThat(renewed[i]).as(renewals.get(i).id()).isEqualTo(alices);
		}
		Thread.sleep(shortest.multipliedBy(3).toMillis());
		for (int i = 0; i < 40; i++) {
			assertThat(this.backend.tryAcquire("batch-" + i, "carol", Duration.ofMinutes(1))).as("batch-" + i)
				.isPresent();
		}
		assertThat(this.backend.tryAcquire("batch-bob", "carol", Duration.ofMinutes(1))).as("bob's, not renewed")
			.isEmpty();
		assertThat(this.backend.renewAll(List.of())).isEmpty();
	}

	@Test
	void handOverPassesAHeldLockWithANewTokenWithoutFreeingIt() {
		if (!this.backend.handsOver()) {
			assertThatExceptionOfType(UnsupportedOperationException.class)
				.isThrownBy(() -> this.backend.handOver("passed", "alice", "bob", Duration.ofMinutes(1)));
			return;
		}
		long alices = this.backend.tryAcquire("passed", "alice", Duration.ofMinutes(1)).orElseThrow();
		assertThat(this.backend.handOver("passed", "mallory", "bob", Duration.ofMinutes(1))).as("not the holder's")
			.isEmpty();
		long bobs = this.backend.handOver("passed", "alice", "bob", Duration.ofMinutes(1)).orElseThrow();
		assertThat(bobs).isGreaterThan(alices);
		assertThat(this.backend.tryAcquire("passed", "carol", Duration.ofMinutes(1))).as("never free").isEmpty();
		assertThat(this.backend.release("passed", "alice")).as("alice's release").isFalse();
		assertThat(this.backend.tryAcquire("passed", "bob", Duration.ofMinutes(1))).hasValue(bobs);
		assertThat(this.backend.release("passed", "bob")).isTrue();
		assertThat(this.backend.handOver("passed", "bob", "carol", Duration.ofMinutes(1))).as("released").isEmpty();
		assertThat(this.backend.tryAcquire("passed", "carol", Duration.ofMinutes(1)).orElseThrow()).isGreaterThan(bobs);
	}

	@Test
	void expiredLeaseCanNeitherBeRenewedNorReleasedByItsOldOwner() throws Exception {
		assertThat(this.backend.tryAcquire("short", "alice", Duration.ofMillis(50))).isPresent();
		Thread.sleep(200);
		assertThat(this.backend.renew("short", "alice", Duration.ofMinutes(1))).isFalse();
		assertThat(this.backend.release("short", "alice")).isFalse();
	}

	@Test
	void sameOwnerRetryingGetsItsOwnTokenBack() {
		long first = this.backend.tryAcquire("retried", "alice", Duration.ofMinutes(1)).orElseThrow();
		assertThat(this.backend.tryAcquire("retried", "alice", Duration.ofMinutes(1))).hasValue(first);
	}

	@Test
	void fencingTokensStrictlyIncreasePerId() {
		long previous = 0;
		for (int i = 0; i < 20; i++) {
			try (Lease lease = this.locks.acquire("fenced", LockOptions.defaults())) {
				assertThat(lease.token()).isGreaterThan(previous);
				previous = lease.token();
			}
		}
	}

	@Test
	void acquisitionInsideAScopeThatHoldsTheIdIsReentrantAndOnlyTheOutermostReleases() throws Exception {
		this.locks.withLock("reentrant", LONG_LEASE, () -> {
			Lease outer = Lease.current().orElseThrow();
			this.locks.withLock("reentrant", LONG_LEASE, () -> {
				Lease inner = Lease.current().orElseThrow();
				assertThat(inner).isNotSameAs(outer);
				assertThat(inner.token()).isEqualTo(outer.token());
				return null;
			});
			try (Lease programmatic = this.locks.acquire("reentrant", LockOptions.defaults())) {
				assertThat(programmatic.token()).isEqualTo(outer.token());
			}
			assertThat(Lease.current()).containsSame(outer);
			assertThat(outer.isValid()).isTrue();
			assertThat(tryAcquireOnOtherThread("reentrant")).isEmpty();
			return null;
		});
		assertThat(Lease.current()).isEmpty();
		assertThat(tryAcquireOnOtherThread("reentrant")).isPresent();
	}

	@Test
	void leasesOutsideAScopeAreNotReentrantSoAPooledThreadInheritsNothing() throws Exception {
		ExecutorService single = Executors.newSingleThreadExecutor();
		try {
			Lease left = single.submit(() -> this.locks.acquire("pooled", LONG_LEASE)).get(30, TimeUnit.SECONDS);
			Optional<Lease> nextTask = single.submit(() -> this.locks.tryAcquire("pooled", LockOptions.defaults()))
				.get(30, TimeUnit.SECONDS);
			assertThat(nextTask).isEmpty();
			left.close();
		}
		finally {
			single.shutdownNow();
		}
	}

	@Test
	void waitEndsWithAlreadyLockedExceptionWhenTheHolderKeepsTheLock() throws Exception {
		acquireOnOtherThread("busy", LONG_LEASE);
		long start = System.nanoTime();
		assertThatExceptionOfType(AlreadyLockedException.class)
			.isThrownBy(() -> this.locks.acquire("busy", LockOptions.defaults().withWait(Duration.ofMillis(300))))
			.withMessageContaining("'busy'")
			.satisfies((ex) -> assertThat(ex.getLockId()).isEqualTo("busy"));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
	}

	@Test
	void waiterGetsTheLockWhenTheHolderReleasesIt() throws Exception {
		Lease held = acquireOnOtherThread("handoff", LONG_LEASE);
		CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(() -> {
			try (Lease lease = this.locks.acquire("handoff", LockOptions.defaults().withWait(Duration.ofMinutes(1)))) {
				return lease.token();
			}
		}, this.others);
		Thread.sleep(100);
		assertThat(waiter).isNotDone();
		held.close();
		assertThat(waiter.get(30, TimeUnit.SECONDS)).isGreaterThan(held.token());
	}

	@Test
	void anyUnicodeAndKeysUpTo64KiBWorkAsDistinctLocks() throws Exception {
		String sixtyFourKiB = "é".repeat(32 * 1024);
		List<String> ids = List.of("ключ:ü:🔒", "../../etc/passwd", "/", "\0", "a/b", "a_b", "a:b", ".", "..",
				sixtyFourKiB, sixtyFourKiB.substring(1) + "e");
		List<Lease> held = new ArrayList<>();
		for (String id : ids) {
			held.add(acquireOnOtherThread(id, LONG_LEASE));
		}
		for (String id : ids) {
			assertThat(this.locks.tryAcquire(id, LockOptions.defaults())).as(id.substring(0, Math.min(20, id.length())))
				.isEmpty();
		}
		try (Lease unrelated = this.locks.acquire("a-b", LockOptions.defaults())) {
			assertThat(unrelated.isValid()).isTrue();
		}
		for (Lease lease : held) {
			lease.close();
		}
		for (String id : ids) {
			try (Lease lease = this.locks.acquire(id, LockOptions.defaults())) {
				assertThat(lease.id()).isEqualTo(id);
			}
		}
	}

	@Test
	void keysOver64KiBAreRefusedWithTheReason() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.locks.tryAcquire("é".repeat(32 * 1024) + "x", LockOptions.defaults()))
			.withMessageContaining("65537 bytes")
			.withMessageContaining("at most 65536");
		assertThatIllegalArgumentException().isThrownBy(() -> this.locks.tryAcquire("", LockOptions.defaults()));
	}

	protected Lease acquireOnOtherThread(String id, LockOptions options) throws Exception {
		return this.others.submit(() -> this.locks.acquire(id, options)).get(30, TimeUnit.SECONDS);
	}

	protected Optional<Lease> tryAcquireOnOtherThread(String id) {
		try {
			return this.others.submit(() -> {
				Optional<Lease> lease = this.locks.tryAcquire(id, LockOptions.defaults());
				lease.ifPresent(Lease::close);
				return lease;
			}).get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
