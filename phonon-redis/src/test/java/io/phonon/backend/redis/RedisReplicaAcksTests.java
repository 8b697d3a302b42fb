package io.phonon.backend.redis;

import java.time.Duration;
import java.util.UUID;

import io.phonon.PhononBackendException;
import io.phonon.lock.LockBackend;
import io.phonon.testsupport.PrivateRedis;
import io.phonon.testsupport.TestRedis;
import io.phonon.testsupport.TestRedisCluster;
import io.phonon.testsupport.TestRedisSentinel;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link ReplicaAcks} on real replicas: a lock's acquisition and renewal count only once
 * the replicas confirm them. A replica stopped with {@code SIGSTOP} cannot confirm, so
 * the acquisition fails and leaves the lock free, and the renewal fails; on Redis Cluster
 * the confirmation goes to the node that serves the key, or a stopped replica there would
 * go unnoticed.
 */
class RedisReplicaAcksTests {

	private static final ReplicaAcks TWO = new ReplicaAcks(2, Duration.ofMillis(300));

	@Test
	void onSentinelAnAcquisitionCountsOnlyOnceBothReplicasHaveIt() throws Exception {
		TestRedisSentinel sentinel = TestRedisSentinel.shared();
		RedisConnectionFactory factory = sentinel.connectionFactory(Duration.ofSeconds(10));
		PrivateRedis replica = sentinel.servers()
			.stream()
			.filter((server) -> server != sentinel.master())
			.findFirst()
			.orElseThrow();
		confirmedOnlyWhileTheReplicaAnswers(RedisBackend.locks(factory, "acks-" + UUID.randomUUID(), TWO), "lock",
				replica, 2);
	}

	@Test
	void onRedisClusterTheNodeThatServesTheKeyConfirms() throws Exception {
		TestRedisCluster cluster = TestRedisCluster.shared();
		String namespace = "acks-" + UUID.randomUUID();
		// Every lock id's key lands on some master; stop that master's replica.
		PrivateRedis replica = cluster
			.replicaOf(new RedisLockBackend(TestRedisCluster.connectionFactory(), namespace).lockKey("lock"));
		confirmedOnlyWhileTheReplicaAnswers(RedisBackend.locks(TestRedisCluster.connectionFactory(), namespace,
				new ReplicaAcks(1, Duration.ofMillis(300))), "lock", replica, 1);
	}

	@Test
	void jedisIsRefusedWhenTheEngineIsMadeNotAtTheFirstLock() {
		JedisConnectionFactory jedis = new JedisConnectionFactory();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RedisBackend.locks(jedis, "jedis", new ReplicaAcks(1, Duration.ofSeconds(1))))
			.withMessageContaining("phonon.redis.replica-acks needs Spring Data Redis's Lettuce driver")
			.withMessageContaining(JedisConnectionFactory.class.getName());
		RedisBackend.locks(jedis, "jedis", ReplicaAcks.NONE).close();
	}

	@Test
	void aServerWithoutReplicasCannotConfirmAndKeepsNothing() {
		RedisConnectionFactory factory = TestRedis.connectionFactory();
		try (RedisLockBackend locks = new RedisLockBackend(factory, "acks-" + UUID.randomUUID(),
				RedisLockBackend.FENCE_RETENTION, new ReplicaAcks(1, Duration.ofMillis(50)))) {
			assertThatExceptionOfType(PhononBackendException.class)
				.isThrownBy(() -> locks.tryAcquire("lock", "a", Duration.ofMinutes(1)))
				.withMessageContaining("only 0 of the 1 replicas");
			try (var connection = factory.getConnection()) {
				assertThat(connection.keyCommands().exists(locks.lockKey("lock")))
					.as("the unconfirmed acquisition was given back")
					.isFalse();
			}
		}
	}

	private static void confirmedOnlyWhileTheReplicaAnswers(LockBackend locks, String id, PrivateRedis replica,
			int replicas) throws Exception {
		try (locks) {
			long first = locks.tryAcquire(id, "a", Duration.ofMinutes(1)).orElseThrow();
			replica.signal("STOP");
			try {
				assertThatExceptionOfType(PhononBackendException.class)
					.isThrownBy(() -> locks.renew(id, "a", Duration.ofMinutes(1)))
					.withMessageContaining("replicas that phonon.redis.replica-acks asks for");
				assertThat(locks.release(id, "a")).isTrue();
				assertThatExceptionOfType(PhononBackendException.class)
					.isThrownBy(() -> locks.tryAcquire(id, "b", Duration.ofMinutes(1)))
					.withMessageContaining("only " + (replicas - 1) + " of the " + replicas + " replicas");
			}
			finally {
				replica.signal("CONT");
			}
			long second = locks.tryAcquire(id, "c", Duration.ofMinutes(1))
				.orElseThrow(() -> new AssertionError("the unconfirmed acquisition of b still holds the lock"));
			assertThat(second).isGreaterThan(first);
			assertThat(locks.release(id, "c")).isTrue();
		}
	}

}
