package io.phonon.backend.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import io.phonon.testsupport.TestRedisSentinel;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** The contracts on Redis behind Sentinel: one master, two replicas, three sentinels. */
class RedisSentinelContractTests extends RedisTopologyContractTests {

	private static LettuceConnectionFactory factory;

	@Override
	RedisConnectionFactory connectionFactory() {
		synchronized (RedisSentinelContractTests.class) {
			if (factory == null) {
				try {
					factory = TestRedisSentinel.shared().connectionFactory(Duration.ofSeconds(10));
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}
			return factory;
		}
	}

}
