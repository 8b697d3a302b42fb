package io.phonon.backend.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.phonon.backend.ReferenceFaultTests;
import io.phonon.testsupport.TestRedis;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

class RedisReferenceFaultTests extends ReferenceFaultTests {

	@Override
	protected String engine() {
		LettuceConnectionFactory redis = TestRedis.connectionFactory();
		return "redis:" + redis.getHostName() + ":" + redis.getPort();
	}

	@Override
	protected List<String> readLedger(String namespace) {
		try (var connection = TestRedis.connectionFactory().getConnection()) {
			return connection.listCommands()
				.lRange((namespace + ":ledger").getBytes(StandardCharsets.UTF_8), 0, -1)
				.stream()
				.map((entry) -> new String(entry, StandardCharsets.UTF_8))
				.toList();
		}
	}

}
