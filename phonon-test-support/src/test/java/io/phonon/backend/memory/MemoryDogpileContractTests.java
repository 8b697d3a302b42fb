package io.phonon.backend.memory;

import io.phonon.dogpile.DogpileContractTests;
import io.phonon.dogpile.DogpileStore;
import io.phonon.lock.LockBackend;

class MemoryDogpileContractTests extends DogpileContractTests {

	@Override
	protected DogpileStore<?> createStore(String namespace) {
		return MemoryBackend.dogpiles();
	}

	@Override
	protected LockBackend createLocks(String namespace) {
		return MemoryBackend.locks();
	}

}
