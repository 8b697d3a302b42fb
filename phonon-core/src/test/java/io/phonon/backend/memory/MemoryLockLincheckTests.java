package io.phonon.backend.memory;

import java.time.Duration;

import io.phonon.lock.LockBackend;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lincheck on the memory engine's locks: taking, renewing and releasing two ids by two
 * owners is linearizable (a holder changed in place, released and taken again, never lets
 * two owners in or repeats a token), by model checking and by stress. Leases are long, so
 * none runs out during a scenario.
 */
@Tag("concurrency")
@Param(name = "id", gen = IntGen.class, conf = "0:1")
@Param(name = "owner", gen = IntGen.class, conf = "0:1")
public class MemoryLockLincheckTests {

	private static final Duration LEASE = Duration.ofHours(1);

	private final LockBackend locks = MemoryBackend.locks();

	@Operation
	public long tryAcquire(@Param(name = "id") int id, @Param(name = "owner") int owner) {
		return this.locks.tryAcquire("lock-" + id, "owner-" + owner, LEASE).orElse(-1);
	}

	@Operation
	public boolean renew(@Param(name = "id") int id, @Param(name = "owner") int owner) {
		return this.locks.renew("lock-" + id, "owner-" + owner, LEASE);
	}

	@Operation
	public boolean release(@Param(name = "id") int id, @Param(name = "owner") int owner) {
		return this.locks.release("lock-" + id, "owner-" + owner);
	}

	@Test
	void linearizableUnderModelChecking() {
		new ModelCheckingOptions().iterations(6).invocationsPerIteration(300).check(getClass());
	}

	@Test
	void linearizableUnderStress() {
		new StressOptions().iterations(6).invocationsPerIteration(1000).check(getClass());
	}

}
