package io.phonon.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.phonon.backend.memory.MemoryBackend;
import io.phonon.backend.support.ForwardingLockBackend;
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
		RecordingEngine counting = new RecordingEngine(LeaseRenewer.BATCH);
		List<Integer> batches = counting.batches;
		LeaseRenewer renewer = new LeaseRenewer(counting);
		Set<HeldLease> holdings = ConcurrentHashMap.newKeySet();
		long leaseNanos = TimeUnit.SECONDS.toNanos(3);
		long requestedAt = System.nanoTime();
		List<HeldLease> leases = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String owner = "owner-" + i;
			long token = counting.tryAcquire("id-" + i, owner, Duration.ofNanos(leaseNanos)).orElseThrow();
			leases.add(new HeldLease(counting, counting::release, renewer, holdings, LockMeters.Named.NONE, null,
					"id-" + i, owner, token, leaseNanos, requestedAt, true));
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

	@Test
	void anEngineWithoutBatchesIsNeverAskedToRenewALeaseBeforeItIsDue() throws InterruptedException {
		// Renewing early only pays where it saves a round trip by joining a batch.
		RecordingEngine engine = new RecordingEngine(1);
		LeaseRenewer renewer = new LeaseRenewer(engine);
		Set<HeldLease> holdings = ConcurrentHashMap.newKeySet();
		long leaseNanos = TimeUnit.MILLISECONDS.toNanos(1500);
		List<HeldLease> leases = new ArrayList<>();
		try {
			for (int i = 0; i < 2; i++) {
				long requestedAt = System.nanoTime();
				String id = "due-" + i;
				long token = engine.tryAcquire(id, "owner", Duration.ofNanos(leaseNanos)).orElseThrow();
				HeldLease lease = new HeldLease(engine, engine::release, renewer, holdings, LockMeters.Named.NONE, null,
						id, "owner", token, leaseNanos, requestedAt, true);
				leases.add(lease);
				engine.dueAt.put(id, lease.renewAt());
				renewer.register(lease);
				// The second lease falls due within a sixth of a lease of the first.
				Thread.sleep(150);
			}
			await().atMost(Duration.ofMinutes(1))
				.until(() -> engine.renewedAt.keySet().containsAll(engine.dueAt.keySet()));
			engine.renewedAt.forEach((id, at) -> assertThat(at - engine.dueAt.get(id)).as(id).isNotNegative());
		}
		finally {
			renewer.close();
		}
	}

	/**
	 * The memory engine, answering as an engine that renews in batches of a given size.
	 */
	private static final class RecordingEngine extends ForwardingLockBackend {

		private final int batchSize;

		/** The size of each renewal step the renewer asked for. */
		final List<Integer> batches = new CopyOnWriteArrayList<>();

		/** When each id's lease was first due for renewal, set by the test. */
		final Map<String, Long> dueAt = new ConcurrentHashMap<>();

		/** When each id was first asked to be renewed. */
		final Map<String, Long> renewedAt = new ConcurrentHashMap<>();

		RecordingEngine(int batchSize) {
			super(MemoryBackend.locks());
			this.batchSize = batchSize;
		}

		@Override
		public boolean renew(String id, String owner, Duration lease) {
			this.renewedAt.putIfAbsent(id, System.nanoTime());
			this.batches.add(1);
			return super.renew(id, owner, lease);
		}

		@Override
		public int renewalBatchSize() {
			return this.batchSize;
		}

		@Override
		public boolean[] renewAll(List<Renewal> renewals) {
			if (this.batchSize == 1) {
				return super.renewAll(renewals); // one by one, through renew
			}
			long now = System.nanoTime();
			renewals.forEach((renewal) -> this.renewedAt.putIfAbsent(renewal.id(), now));
			this.batches.add(renewals.size());
			return delegate().renewAll(renewals);
		}

	}

}
