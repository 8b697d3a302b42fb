package io.phonon.backend.memory;

import io.phonon.reference.ReferenceBackend;
import io.phonon.reference.ReferenceContractTests;

class MemoryReferenceContractTests extends ReferenceContractTests {

	@Override
	protected ReferenceBackend createEngine() {
		return MemoryBackend.references();
	}

}
