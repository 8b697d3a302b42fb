package io.phonon.backend.redis;

import java.time.Duration;
import java.util.UUID;

import io.phonon.dogpile.DogpileStore;
import io.phonon.testsupport.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;

import static org.awaitility.Awaitility.await;

/**
 * What dogpile values leave in Redis once their stale windows end: nothing, the cache's
 * index included (each write trims it, and it expires with its last value).
 */
class RedisDogpileFootprintTests {

	@Test
	void fiveThousandValuesPastTheirStaleWindowLeaveNoKeys() {
		LettuceConnectionFactory redis = TestRedis.connectionFactory();
		String namespace = "dogfoot-" + UUID.randomUUID();
		DogpileStore<String> store = RedisBackend.dogpiles(redis, namespace);
		for (int key = 0; key < 5_000; key++) {
			store.put("reports", "k" + key, "\"value\"", 1, Duration.ofMillis(1), Duration.ofMillis(1));
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> keys(redis, namespace + ":*") == 0);
	}

	private static long keys(LettuceConnectionFactory redis, String pattern) {
		long count = 0;
		try (RedisConnection connection = redis.getConnection();
				Cursor<byte[]> keys = connection.keyCommands()
					.scan(ScanOptions.scanOptions().match(pattern).count(1000).build())) {
			while (keys.hasNext()) {
				keys.next();
				count++;
			}
		}
		return count;
	}

}
