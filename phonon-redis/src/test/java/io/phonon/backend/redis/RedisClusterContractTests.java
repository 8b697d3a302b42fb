package io.phonon.backend.redis;

import io.phonon.testsupport.TestRedisCluster;

import org.springframework.data.redis.connection.RedisConnectionFactory;

/** The contracts on a Redis Cluster of three masters and three replicas. */
class RedisClusterContractTests extends RedisTopologyContractTests {

	@Override
	RedisConnectionFactory connectionFactory() {
		return TestRedisCluster.connectionFactory();
	}

}
