package io.phonon.backend.memory;

import io.phonon.atom.AtomBackend;
import io.phonon.atom.AtomContractTests;

class MemoryAtomContractTests extends AtomContractTests {

	@Override
	protected AtomBackend createEngine(String namespace) {
		return MemoryBackend.atoms();
	}

}
