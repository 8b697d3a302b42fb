package io.phonon.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.awaitility.Awaitility.await;

/**
 * A real Redis Cluster of three masters on loopback, private to the test JVM: three
 * {@code redis-server --cluster-enabled yes} processes (the embedded-redis binary, Redis
 * 6.2, Phonon's oldest supported), their 16,384 slots split in three, joined with
 * {@code CLUSTER MEET}. Started once, stopped when the JVM ends.
 */
public final class TestRedisCluster {

	private static final int SLOTS = 16_384;

	private static final int MASTERS = 3;

	private static LettuceConnectionFactory shared;

	private TestRedisCluster() {
	}

	/**
	 * Returns a started connection factory of the cluster, through Spring Data Redis's
	 * own cluster configuration, as {@code spring.data.redis.cluster.nodes} makes it.
	 * @return the factory, shared by the tests
	 */
	public static synchronized LettuceConnectionFactory connectionFactory() {
		if (shared == null) {
			List<Integer> ports = start();
			LettuceConnectionFactory factory = new LettuceConnectionFactory(
					new RedisClusterConfiguration(ports.stream().map((port) -> "127.0.0.1:" + port).toList()));
			factory.afterPropertiesSet();
			factory.start();
			shared = factory;
		}
		return shared;
	}

	private static List<Integer> start() {
		List<Integer> ports = new ArrayList<>();
		try {
			Path directory = Files.createTempDirectory("phonon-redis-cluster");
			for (int i = 0; i < MASTERS; i++) {
				int port = TestRedis.freePort();
				TestRedis.startEmbedded(port, "cluster-enabled yes",
						"cluster-config-file " + directory.resolve("nodes-" + port + ".conf"),
						"cluster-node-timeout 5000");
				ports.add(port);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("The Redis Cluster tests could not start three embedded redis-server"
					+ " processes with cluster-enabled yes", ex);
		}
		List<RedisClient> clients = ports.stream()
			.map((port) -> RedisClient.create(RedisURI.create("127.0.0.1", port)))
			.toList();
		try {
			for (int i = 0; i < MASTERS; i++) {
				try (StatefulRedisConnection<String, String> connection = clients.get(i).connect()) {
					RedisCommands<String, String> node = connection.sync();
					node.clusterAddSlots(IntStream.range(i * SLOTS / MASTERS, (i + 1) * SLOTS / MASTERS).toArray());
					if (i > 0) {
						node.clusterMeet("127.0.0.1", ports.get(0));
					}
				}
			}
			for (RedisClient client : clients) {
				try (StatefulRedisConnection<String, String> connection = client.connect()) {
					await().atMost(Duration.ofMinutes(1))
						.until(() -> connection.sync().clusterInfo().contains("cluster_state:ok")
								&& connection.sync().clusterNodes().lines().count() == MASTERS);
				}
			}
		}
		finally {
			clients.forEach(RedisClient::shutdown);
		}
		System.out.println("Redis Cluster tests run against three masters on ports " + ports);
		return ports;
	}

}
