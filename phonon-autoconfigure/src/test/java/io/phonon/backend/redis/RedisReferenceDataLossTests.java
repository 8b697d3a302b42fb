package io.phonon.backend.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phonon.backend.memory.MemoryBackend;
import io.phonon.lock.LockService;
import io.phonon.reference.Reference;
import io.phonon.reference.References;
import io.phonon.testsupport.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Redis loses every key of the namespace under a live process (a restart without persistence, a
 * {@code FLUSHDB}, eviction): its next heartbeat finds the session gone, starts it anew, and its
 * references say they were lost instead of going uncounted; new ones join again.
 */
class RedisReferenceDataLossTests {

	@Test
	void referencesLostWithTheEnginesDataSaySoAndNewOnesJoinAgain() throws Exception {
		LettuceConnectionFactory redis = TestRedis.connectionFactory();
		String namespace = "refloss-" + UUID.randomUUID();
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		LockService locks = LockService.builder(MemoryBackend.locks()).build();
		References references = References.builder(RedisBackend.references(redis, namespace), locks)
			.heartbeatInterval(Duration.ofMillis(100))
			.sessionTimeout(Duration.ofSeconds(5))
			.meterRegistry(registry)
			.build();
		try {
			Reference held = references.acquire("record:1");
			assertThat(held.count()).isEqualTo(1);
			deleteKeys(redis, namespace + ":*");
			await().atMost(Duration.ofSeconds(30))
				.until(() -> registry.get("phonon.reference.session.lost").counter().count() == 1);
			assertThatIllegalStateException().isThrownBy(held::count).withMessageContaining("was lost");
			assertThat(held.release()).isFalse();
			Reference again = references.acquire("record:1");
			assertThat(again.count()).isEqualTo(1);
			assertThat(again.release()).isTrue();
		}
		finally {
			((AutoCloseable) references).close();
			((AutoCloseable) locks).close();
		}
	}

	private static void deleteKeys(LettuceConnectionFactory redis, String pattern) {
		try (RedisConnection connection = redis.getConnection();
				Cursor<byte[]> keys = connection.keyCommands().scan(ScanOptions.scanOptions().match(pattern).build())) {
			while (keys.hasNext()) {
				byte[] key = keys.next();
				assertThat(connection.keyCommands().del(key)).as(new String(key, StandardCharsets.UTF_8)).isEqualTo(1);
			}
		}
	}

}
