package io.phonon.backend.redis;

import io.phonon.atom.AtomBackend;
import io.phonon.atom.AtomContractTests;
import io.phonon.testsupport.TestRedis;

class RedisAtomContractTests extends AtomContractTests {

	@Override
	protected AtomBackend createEngine(String namespace) {
		return RedisBackend.atoms(TestRedis.connectionFactory(), namespace);
	}

}
