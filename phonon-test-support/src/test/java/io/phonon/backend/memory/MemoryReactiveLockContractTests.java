package io.phonon.backend.memory;

import io.phonon.lock.LockBackend;
import io.phonon.lock.ReactiveLockContractTests;

class MemoryReactiveLockContractTests extends ReactiveLockContractTests {

	@Override
	protected LockBackend createBackend() {
		return MemoryBackend.locks();
	}

}
