package io.phonon.backend.redis;

import java.util.UUID;

import io.phonon.reference.ReferenceBackend;
import io.phonon.reference.ReferenceContractTests;
import io.phonon.testsupport.TestRedis;

class RedisReferenceContractTests extends ReferenceContractTests {

	@Override
	protected ReferenceBackend createEngine() {
		return RedisBackend.references(TestRedis.connectionFactory(), "phonon-test-" + UUID.randomUUID());
	}

}
