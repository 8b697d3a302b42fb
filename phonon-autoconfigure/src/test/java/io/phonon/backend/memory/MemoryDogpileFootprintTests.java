package io.phonon.backend.memory;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The memory store holds about the values that live, however many keys passed through: values
 * past their stale window go even if their key is never read again.
 */
class MemoryDogpileFootprintTests {

	@Test
	void twoHundredThousandKeysPastTheirStaleWindowLeaveABoundedMap() {
		MemoryDogpileStore store = (MemoryDogpileStore) MemoryBackend.dogpiles();
		for (int key = 0; key < 200_000; key++) {
			store.put("reports", "k" + key, "value", 1, Duration.ofNanos(1), Duration.ZERO);
		}
		assertThat(store.held("reports")).as("entries in memory").isLessThanOrEqualTo(1024);
	}

}
