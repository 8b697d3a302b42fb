package io.phonon.backend.redis;

import io.phonon.dogpile.DogpileContractTests;
import io.phonon.dogpile.DogpileStore;
import io.phonon.lock.LockBackend;
import io.phonon.testsupport.TestRedis;

class RedisDogpileContractTests extends DogpileContractTests {

	@Override
	protected DogpileStore<?> createStore(String namespace) {
		return RedisBackend.dogpiles(TestRedis.connectionFactory(), namespace);
	}

	@Override
	protected LockBackend createLocks(String namespace) {
		return RedisBackend.locks(TestRedis.connectionFactory(), namespace);
	}

}
