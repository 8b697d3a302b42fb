package io.phonon.backend.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.phonon.lock.LockBackend;
import io.phonon.testsupport.PrivateRedis;
import io.phonon.testsupport.TestRedisCluster;
import io.phonon.testsupport.TestRedisSentinel;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Release notices survive the loss of the server they were subscribed on: the
 * subscription that wakes this JVM's waiters is made again (Spring Data Redis's listener
 * container recovers, through the sentinels on Sentinel, on another node on Redis
 * Cluster, where a script's {@code PUBLISH} reaches every node), so waiters do not fall
 * back to polling for good.
 */
class RedisResubscriptionTests {

	@Test
	void afterASentinelFailoverTheReleaseChannelIsSubscribedOnTheNewMaster() throws Exception {
		String namespace = "resubscribe-" + UUID.randomUUID();
		String channel = namespace + ":lock:released";
		try (TestRedisSentinel sentinel = TestRedisSentinel.start()) {
			LettuceConnectionFactory factory = sentinel.connectionFactory(Duration.ofSeconds(5));
			try (LockBackend locks = RedisBackend.locks(factory, namespace)) {
				assertThat(locks.tryAcquire("held", "a", Duration.ofMinutes(5))).isPresent();
				locks.awaitRelease("held", Duration.ofMillis(10)); // the first waiter
																	// subscribes
				await().atMost(Duration.ofMinutes(1)).until(() -> subscribers(sentinel.master(), channel) == 1);
				sentinel.killMaster();
				await().atMost(Duration.ofMinutes(1)).until(() -> subscribers(sentinel.master(), channel) == 1);
			}
			finally {
				factory.destroy();
			}
		}
	}

	@Test
	void afterTheSubscribedClusterNodeDiesTheReleaseChannelIsSubscribedAgain() throws Exception {
		String namespace = "resubscribe-" + UUID.randomUUID();
		String channel = namespace + ":lock:released";
		try (TestRedisCluster cluster = TestRedisCluster.start(Duration.ofMillis(1500))) {
			LettuceConnectionFactory factory = cluster.connectionFactory(Duration.ofSeconds(5));
			try (LockBackend locks = RedisBackend.locks(factory, namespace)) {
				assertThat(locks.tryAcquire("held", "a", Duration.ofMinutes(5))).isPresent();
				locks.awaitRelease("held", Duration.ofMillis(10));
				await().atMost(Duration.ofMinutes(1)).until(() -> subscribers(cluster.servers(), channel) == 1);
				PrivateRedis subscribed = cluster.servers()
					.stream()
					.filter((node) -> subscribers(List.of(node), channel) == 1)
					.findFirst()
					.orElseThrow();
				cluster.killAndRestart(subscribed);
				await().atMost(Duration.ofMinutes(1)).until(() -> subscribers(cluster.servers(), channel) == 1);
			}
			finally {
				factory.destroy();
			}
		}
	}

	/** Classic pub/sub on Redis Cluster: a node counts only its own subscribers. */
	private static long subscribers(List<PrivateRedis> nodes, String channel) {
		return nodes.stream().filter(PrivateRedis::isAlive).mapToLong((node) -> subscribers(node, channel)).sum();
	}

	private static long subscribers(PrivateRedis server, String channel) {
		Map<String, Long> counts = server.call((connection) -> connection.sync().pubsubNumsub(channel));
		return counts.getOrDefault(channel, 0L);
	}

}
