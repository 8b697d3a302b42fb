package io.phonon.backend.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.UUID;

import io.phonon.testsupport.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an id leaves in Redis: every key of a lock expires (the lock with its lease, the
 * fence {@link RedisLockBackend#FENCE_RETENTION} after), so ids locked once do not pile
 * up; and a token taken after the fence is gone is still greater than every earlier one.
 */
class RedisLockFootprintTests {

	private static final int IDS = 5_000;

	private final LettuceConnectionFactory redis = TestRedis.connectionFactory();

	@Test
	void everyKeyOfEveryIdEverLockedExpires() {
		String namespace = "footprint-" + UUID.randomUUID();
		try (RedisLockBackend backend = new RedisLockBackend(this.redis, namespace)) {
			for (int id = 0; id < IDS; id++) {
				assertThat(backend.tryAcquire("order:" + id, "owner", Duration.ofSeconds(30))).isPresent();
				if (id % 2 == 0) {
					assertThat(backend.release("order:" + id, "owner")).isTrue();
				}
			}
			long keys = 0;
			try (RedisConnection connection = this.redis.getConnection();
					Cursor<byte[]> scan = connection.keyCommands()
						.scan(ScanOptions.scanOptions().match(namespace + ":*").count(1000).build())) {
				while (scan.hasNext()) {
					byte[] key = scan.next();
					keys++;
					assertThat(connection.keyCommands().pTtl(key)).as(new String(key, StandardCharsets.UTF_8))
						.isPositive()
						.isLessThanOrEqualTo(Duration.ofSeconds(30).plus(RedisLockBackend.FENCE_RETENTION).toMillis());
				}
			}
			assertThat(keys).as("a fence per id and a lock per id still held").isEqualTo(IDS + IDS / 2);
		}
	}

	@Test
	void aTokenTakenAfterTheFenceExpiredIsGreaterThanEveryEarlierOne() {
		String namespace = "footprint-" + UUID.randomUUID();
		try (RedisLockBackend backend = new RedisLockBackend(this.redis, namespace, Duration.ofMillis(1),
				ReplicaAcks.NONE)) {
			OptionalLong first = backend.tryAcquire("reused", "a", Duration.ofSeconds(30));
			OptionalLong second = backend.tryAcquire("reused", "a", Duration.ofSeconds(30));
			assertThat(second).as("re-entry keeps the token").isEqualTo(first);
			assertThat(backend.release("reused", "a")).isTrue();
			try (RedisConnection connection = this.redis.getConnection()) {
				// Expired with its retention, or lost: either way the next token comes
				// from the clock.
				connection.keyCommands().del(backend.fenceKey("reused"));
			}
			OptionalLong third = backend.tryAcquire("reused", "b", Duration.ofSeconds(30));
			assertThat(third.getAsLong()).isGreaterThan(first.getAsLong());
		}
	}

}
