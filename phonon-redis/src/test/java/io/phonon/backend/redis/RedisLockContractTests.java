package io.phonon.backend.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import io.phonon.PhononBackendException;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockContractTests;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import io.phonon.testsupport.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RedisLockContractTests extends LockContractTests {

	@Override
	protected LockBackend createBackend() {
		return RedisBackend.locks(TestRedis.connectionFactory(), "phonon-test-" + UUID.randomUUID());
	}

	@Test
	void keysAreHashTaggedByADigestOfTheIdUnderTheEscapedNamespace() {
		String namespace = "{}phonon-test-" + UUID.randomUUID();
		try (RedisLockBackend backend = new RedisLockBackend(TestRedis.connectionFactory(), namespace)) {
			backend.tryAcquire("records:42", "owner", Duration.ofMinutes(1));
			String lockKey = new String(backend.lockKey("records:42"), StandardCharsets.UTF_8);
			assertThat(lockKey).matches("%7B%7Dphonon-test-.*:lock:\\{[0-9a-f]{16}\\}:l:records:42");
			assertThat(new String(backend.fenceKey("records:42"), StandardCharsets.UTF_8))
				.isEqualTo(lockKey.replace("}:l:", "}:f:"));
			try (var connection = TestRedis.connectionFactory().getConnection()) {
				assertThat(connection.keyCommands().exists(backend.fenceKey("records:42"))).isTrue();
				assertThat(connection.keyCommands().pTtl(backend.lockKey("records:42"))).isBetween(1L, 60_000L);
			}
		}
	}

	@Test
	void unreachableRedisIsABackendExceptionNamingTheOperation() {
		LettuceConnectionFactory nowhere = TestRedis.connect("127.0.0.1", TestRedis.freePort(), Duration.ofMillis(500));
		try (LockBackend backend = RedisBackend.locks(nowhere, "down")) {
			LockService locks = LockService.builder(backend).build();
			assertThatExceptionOfType(PhononBackendException.class)
				.isThrownBy(() -> locks.tryAcquire("records:1", LockOptions.defaults()))
				.withMessageContaining("backend 'redis' failed to acquire lock 'records:1'");
		}
		finally {
			nowhere.destroy();
		}
	}

}
