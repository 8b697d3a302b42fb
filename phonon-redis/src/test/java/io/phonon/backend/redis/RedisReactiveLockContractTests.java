package io.phonon.backend.redis;

import java.util.UUID;

import io.phonon.lock.LockBackend;
import io.phonon.lock.ReactiveLockContractTests;
import io.phonon.testsupport.TestRedis;

class RedisReactiveLockContractTests extends ReactiveLockContractTests {

	@Override
	protected LockBackend createBackend() {
		return RedisBackend.locks(TestRedis.connectionFactory(), "phonon-test-" + UUID.randomUUID());
	}

}
