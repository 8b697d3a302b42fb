package io.phonon.backend.redis;

import io.phonon.backend.ReferencePauseTests;
import io.phonon.testsupport.TestRedis;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

class RedisReferencePauseTests extends ReferencePauseTests {

	@Override
	protected String engine() {
		LettuceConnectionFactory redis = TestRedis.connectionFactory();
		return "redis:" + redis.getHostName() + ":" + redis.getPort();
	}

}
