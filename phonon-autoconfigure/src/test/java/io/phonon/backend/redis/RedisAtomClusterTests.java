package io.phonon.backend.redis;

import io.phonon.backend.AtomClusterTests;
import io.phonon.testsupport.TestRedis;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

class RedisAtomClusterTests extends AtomClusterTests {

	@Override
	protected String engine() {
		LettuceConnectionFactory redis = TestRedis.connectionFactory();
		return "redis:" + redis.getHostName() + ":" + redis.getPort();
	}

}
