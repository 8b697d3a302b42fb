package io.phonon.backend.memory;

import io.phonon.lock.LockBackend;
import io.phonon.lock.LockContractTests;

class MemoryLockContractTests extends LockContractTests {

	@Override
	protected LockBackend createBackend() {
		return MemoryBackend.locks();
	}

}
