package io.phonon.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.phonon.backend.memory.MemoryBackend;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The renewer hands the engine the leases that fall due together in batches, so that
 * holding many leases costs a round trip per batch, not per lease.
 */
class LeaseRenewerTests {

	@Test
	void anEngineWithoutBatchesRenewsEachLeaseOnItsOwn() {
		assertThat(new LeaseRenewer(MemoryBackend.locks())).extracting("batchSize").isEqualTo(1);
	}

	@Test
	void leasesDueTogetherAreRenewedInBatchesAndNoneIsLost() {
		int count = 2 * LeaseRenewer.BATCH + 200;
		List<Integer> batches = new CopyOnWriteArrayList<>();
		LockBackend engine = MemoryBackend.locks();
		LockBackend counting = new LockBackend() {

			@Override
			public String name() {
				return engine.name();
			}

			@Override
			public OptionalLong tryAcquire(String id, String owner, Duration lease) {
				return engine.tryAcquire(id, owner, lease);
			}

			@Override
			public boolean renew(String id, String owner, Duration lease) {
				batches.add(1);
				return engine.renew(id, owner, lease);
			}

			@Override
			public int renewalBatchSize() {
				return LeaseRenewer.BATCH;
			}

			@Override
			public boolean[] renewAll(List<Renewal> renewals) {
				batches.add(renewals.size());
				return engine.renewAll(renewals);
			}

			@Override
			public boolean release(String id, String owner) {
				return engine.release(id, owner);
			}

			@Override
			public void awaitRelease(String id, Duration maxWait) throws InterruptedException {
				engine.awaitRelease(id, maxWait);
			}

		};
		LeaseRenewer renewer = new LeaseRenewer(counting);
		Set<HeldLease> holdings = ConcurrentHashMap.newKeySet();
		long leaseNanos = TimeUnit.SECONDS.toNanos(3);
		long requestedAt = System.nanoTime();
		List<HeldLease> leases = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String owner = "owner-" + i;
			long token = counting.tryAcquire("id-" + i, owner, Duration.ofNanos(leaseNanos)).orElseThrow();
			leases.add(new HeldLease(counting, renewer, holdings, LockMeters.Named.NONE, null, "id-" + i, owner, token,
					leaseNanos, requestedAt, true));
		}
		try {
			leases.forEach(renewer::register);
			await().atMost(Duration.ofMinutes(1))
				.until(() -> leases.stream().allMatch((lease) -> lease.validUntil() - requestedAt > leaseNanos));
			assertThat(leases).allMatch(HeldLease::isValid);
			// Every lease was due at the same moment: one engine step per batch.
			assertThat(batches.subList(0, 3)).containsExactlyInAnyOrder(LeaseRenewer.BATCH, LeaseRenewer.BATCH, 200);
		}
		finally {
			renewer.close();
		}
	}

}
