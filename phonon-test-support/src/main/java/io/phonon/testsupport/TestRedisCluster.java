package io.phonon.testsupport;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.stream.IntStream;

import io.lettuce.core.SocketOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.SlotHash;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.awaitility.Awaitility.await;

/**
 * A real Redis Cluster on loopback, private to a test: three masters, each with one
 * replica ({@link PrivateRedis} processes), the 16,384 slots split in three, joined with
 * {@code CLUSTER MEET} and {@code CLUSTER REPLICATE}. A test reaches it as
 * {@code spring.data.redis.cluster.nodes} configures Spring Data Redis, with Lettuce's
 * topology refresh on (as {@code spring.data.redis.lettuce.cluster.refresh.adaptive} sets
 * it), and may kill a master to make its replica take over.
 */
public final class TestRedisCluster implements AutoCloseable {

	private static final int SLOTS = 16_384;

	private static final int MASTERS = 3;

	private static TestRedisCluster shared;

	private static LettuceConnectionFactory sharedFactory;

	private final List<PrivateRedis> nodes;

	private TestRedisCluster(List<PrivateRedis> nodes) {
		this.nodes = nodes;
	}

	/**
	 * Returns a started connection factory of a cluster shared by the tests of this JVM
	 * that do not kill it.
	 * @return the factory
	 */
	public static synchronized LettuceConnectionFactory connectionFactory() {
		if (sharedFactory == null) {
			try {
				shared = start(Duration.ofSeconds(5));
			}
			catch (IOException ex) {
				throw new IllegalStateException("The Redis Cluster tests could not start six redis-server processes"
						+ " with cluster-enabled yes", ex);
			}
			sharedFactory = shared.connectionFactory(Duration.ofSeconds(10));
		}
		return sharedFactory;
	}

	/**
	 * Starts three masters and three replicas and waits until every node sees the cluster
	 * whole.
	 * @param nodeTimeout how long a node may not answer before the others fail it over
	 * @return the cluster
	 */
	public static TestRedisCluster start(Duration nodeTimeout) throws IOException {
		List<PrivateRedis> nodes = new ArrayList<>();
		for (int i = 0; i < 2 * MASTERS; i++) {
			int port = TestRedis.freePort();
			nodes.add(PrivateRedis.start(null, "127.0.0.1", port, "cluster-enabled yes",
					"cluster-config-file nodes.conf", "cluster-node-timeout " + nodeTimeout.toMillis()));
		}
		for (int i = 0; i < MASTERS; i++) {
			int first = i * SLOTS / MASTERS;
			int end = (i + 1) * SLOTS / MASTERS;
			nodes.get(i).call((connection) -> connection.sync().clusterAddSlots(IntStream.range(first, end).toArray()));
		}
		PrivateRedis seed = nodes.get(0);
		for (PrivateRedis node : nodes.subList(1, nodes.size())) {
			node.call((connection) -> connection.sync().clusterMeet(seed.host(), seed.port()));
		}
		TestRedisCluster cluster = new TestRedisCluster(nodes);
		await().atMost(Duration.ofMinutes(1))
			.until(() -> cluster.everyNode((info, nodesText) -> nodesText.lines().count() == 2 * MASTERS
					&& nodesText.lines().noneMatch((line) -> line.contains("handshake"))));
		for (int i = 0; i < MASTERS; i++) {
			String masterId = nodes.get(i).call((connection) -> connection.sync().clusterMyId());
			nodes.get(MASTERS + i).call((connection) -> connection.sync().clusterReplicate(masterId));
		}
		cluster.awaitHealthy();
		System.out.println("Redis Cluster tests run against three masters and three replicas on "
				+ nodes.stream().map(PrivateRedis::address).toList());
		return cluster;
	}

	/**
	 * Returns a new started connection factory, as
	 * {@code spring.data.redis.cluster.nodes} with adaptive and periodic topology refresh
	 * makes it.
	 */
	public LettuceConnectionFactory connectionFactory(Duration timeout) {
		return connectionFactory(nodes(), timeout);
	}

	/**
	 * Returns a new started connection factory of the cluster whose nodes are
	 * {@code nodes}, for a worker JVM.
	 * @param nodes the nodes, as {@link #nodes()} gives them
	 * @param timeout the command and connect timeout
	 * @return the factory
	 */
	public static LettuceConnectionFactory connectionFactory(List<String> nodes, Duration timeout) {
		ClusterClientOptions options = ClusterClientOptions.builder()
			.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
				.enableAllAdaptiveRefreshTriggers()
				.enablePeriodicRefresh(Duration.ofSeconds(1))
				.build())
			.socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
			.build();
		return LettuceFactories.started(new RedisClusterConfiguration(nodes), options, timeout);
	}

	/** Returns {@code spring.data.redis.cluster.nodes}: every node's address. */
	public List<String> nodes() {
		return this.nodes.stream().map(PrivateRedis::address).toList();
	}

	/** Returns the node that serves {@code key} as master now. */
	public PrivateRedis masterOf(byte[] key) {
		int slot = SlotHash.getSlot(key);
		for (PrivateRedis node : this.nodes) {
			if (node.isAlive() && node.call((connection) -> {
				String myself = connection.sync().clusterMyId();
				return connection.sync()
					.clusterSlots()
					.stream()
					.map(List.class::cast)
					.anyMatch((range) -> ((Number) range.get(0)).intValue() <= slot
							&& slot <= ((Number) range.get(1)).intValue()
							&& ((List<?>) range.get(2)).get(2).equals(myself));
			})) {
				return node;
			}
		}
		throw new IllegalStateException("No live node serves slot " + slot);
	}

	/** Returns the replica of the master that serves {@code key}. */
	public PrivateRedis replicaOf(byte[] key) {
		String masterId = masterOf(key).call((connection) -> connection.sync().clusterMyId());
		return this.nodes.stream()
			.filter((node) -> node.isAlive() && node.call((connection) -> connection.sync().clusterNodes())
				.lines()
				.anyMatch((line) -> line.contains("myself") && line.contains("slave " + masterId)))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No replica of " + masterId));
	}

	/** Returns the cluster that {@link #connectionFactory()} reaches. */
	public static synchronized TestRedisCluster shared() {
		connectionFactory();
		return shared;
	}

	/**
	 * Kills the master of {@code key} with {@code kill -9}, waits until its replica has
	 * taken over, starts the killed node again (it rejoins as the new master's replica)
	 * and waits until the cluster is whole.
	 * @return how long the replica took to serve the key's slot
	 */
	public Duration killMasterOf(byte[] key) throws IOException, InterruptedException {
		PrivateRedis old = masterOf(key);
		long killedAt = System.nanoTime();
		old.kill();
		await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50)).until(() -> {
			try {
				return masterOf(key) != old;
			}
			catch (IllegalStateException ex) {
				return false;
			}
		});
		Duration failover = Duration.ofNanos(System.nanoTime() - killedAt);
		old.startServer();
		awaitHealthy();
		return failover;
	}

	/**
	 * Kills {@code node} with {@code kill -9}, waits until the others mark it failed (a
	 * master's replica then takes over), starts it again and waits until the cluster is
	 * whole.
	 */
	public void killAndRestart(PrivateRedis node) throws IOException, InterruptedException {
		String id = node.call((connection) -> connection.sync().clusterMyId());
		node.kill();
		await().atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> this.nodes.stream()
				.filter(PrivateRedis::isAlive)
				.allMatch((other) -> other.call((connection) -> connection.sync().clusterNodes())
					.lines()
					.anyMatch((line) -> line.startsWith(id) && line.contains(",fail") && !line.contains("fail?"))));
		node.startServer();
		awaitHealthy();
	}

	/** Returns the nodes: three masters and three replicas, in no set order. */
	public List<PrivateRedis> servers() {
		return this.nodes;
	}

	private void awaitHealthy() {
		await().atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> everyNode(TestRedisCluster::whole) && this.nodes.stream()
				.noneMatch((node) -> node.call((connection) -> connection.sync().info("replication"))
					.contains("master_link_status:down")));
	}

	/**
	 * Whether a node sees the cluster whole: state ok, three masters and three replicas,
	 * none failed or still shaking hands.
	 */
	private static boolean whole(String info, String nodes) {
		return info.contains("cluster_state:ok")
				&& nodes.lines().filter((line) -> line.contains("master")).count() == MASTERS
				&& nodes.lines().filter((line) -> line.contains("slave")).count() == MASTERS
				&& nodes.lines().noneMatch((line) -> line.contains("fail") || line.contains("handshake"));
	}

	private boolean everyNode(BiPredicate<String, String> healthy) {
		return this.nodes.stream()
			.allMatch((node) -> node
				.call((connection) -> healthy.test(connection.sync().clusterInfo(), connection.sync().clusterNodes())));
	}

	@Override
	public void close() throws InterruptedException {
		for (PrivateRedis node : this.nodes) {
			node.close();
		}
	}

}
