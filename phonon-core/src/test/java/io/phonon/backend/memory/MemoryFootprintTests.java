package io.phonon.backend.memory;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The memory engine holds about the state that lives, however many keys passed through:
 * values past their stale window, and locks released or whose leases ran out, go even if
 * their key never comes again.
 */
class MemoryFootprintTests {

	@Test
	void twoHundredThousandAbandonedLocksLeaveABoundedMap() {
		MemoryLockBackend locks = (MemoryLockBackend) MemoryBackend.locks();
		for (int id = 0; id < 200_000; id++) {
			assertThat(locks.tryAcquire("order:" + id, "crashed", Duration.ofNanos(1))).isPresent();
		}
		assertThat(locks.held()).as("holders in memory").isLessThanOrEqualTo(64 * 1024);
	}

	@Test
	void twoHundredThousandLocksTakenAndReleasedLeaveABoundedMap() {
		MemoryLockBackend locks = (MemoryLockBackend) MemoryBackend.locks();
		for (int id = 0; id < 200_000; id++) {
			assertThat(locks.tryAcquire("order:" + id, "owner", Duration.ofSeconds(30))).isPresent();
			assertThat(locks.release("order:" + id, "owner")).isTrue();
		}
		assertThat(locks.held()).as("holders in memory").isLessThanOrEqualTo(64 * 1024);
	}

	@Test
	void twoHundredThousandKeysPastTheirStaleWindowLeaveABoundedMap() {
		MemoryDogpileStore store = (MemoryDogpileStore) MemoryBackend.dogpiles();
		for (int key = 0; key < 200_000; key++) {
			store.put("reports", "k" + key, "value", 1, Duration.ofNanos(1), Duration.ZERO);
		}
		assertThat(store.held("reports")).as("entries in memory").isLessThanOrEqualTo(1024);
	}

}
