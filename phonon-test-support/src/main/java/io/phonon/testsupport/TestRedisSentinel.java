package io.phonon.testsupport;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.lettuce.core.output.ValueListOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.awaitility.Awaitility.await;

/**
 * Redis behind Sentinel on loopback, private to a test: one master, two replicas and
 * three sentinels ({@link PrivateRedis} processes), which find a master down after one
 * second. A test reaches it as {@code spring.data.redis.sentinel.*} configures Spring
 * Data Redis, and may kill the master to make the sentinels fail over.
 */
public final class TestRedisSentinel implements AutoCloseable {

	/** The name the sentinels know the master by. */
	public static final String MASTER = "phonon";

	private static TestRedisSentinel shared;

	private final List<PrivateRedis> servers;

	private final List<PrivateRedis> sentinels;

	private TestRedisSentinel(List<PrivateRedis> servers, List<PrivateRedis> sentinels) {
		this.servers = servers;
		this.sentinels = sentinels;
	}

	/** Returns a set shared by the tests of this JVM that do not kill it. */
	public static synchronized TestRedisSentinel shared() throws IOException {
		if (shared == null) {
			shared = start();
		}
		return shared;
	}

	/** Starts a master, two replicas and three sentinels, and waits until they agree. */
	public static TestRedisSentinel start() throws IOException {
		List<PrivateRedis> servers = new ArrayList<>();
		PrivateRedis master = PrivateRedis.start();
		servers.add(master);
		for (int i = 0; i < 2; i++) {
			servers.add(PrivateRedis.start("replicaof " + master.host() + " " + master.port()));
		}
		List<PrivateRedis> sentinels = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			sentinels.add(PrivateRedis.sentinel(MASTER, master));
		}
		TestRedisSentinel sentinel = new TestRedisSentinel(servers, sentinels);
		sentinel.awaitHealthy();
		System.out.println("Redis Sentinel tests run against master " + master.address() + ", replicas "
				+ servers.get(1).address() + " and " + servers.get(2).address() + ", sentinels "
				+ sentinels.stream().map(PrivateRedis::address).toList());
		return sentinel;
	}

	/** Returns {@code spring.data.redis.sentinel.nodes}: the sentinels' addresses. */
	public String nodes() {
		return String.join(",", this.sentinels.stream().map(PrivateRedis::address).toList());
	}

	/** Returns a new started connection factory with the given command timeout. */
	public LettuceConnectionFactory connectionFactory(Duration timeout) {
		return connectionFactory(nodes(), timeout);
	}

	/**
	 * Returns a new started connection factory through the sentinels at {@code nodes},
	 * for a worker JVM.
	 * @param nodes the sentinels, as {@link #nodes()} gives them
	 * @param timeout the command and connect timeout
	 * @return the factory
	 */
	public static LettuceConnectionFactory connectionFactory(String nodes, Duration timeout) {
		return LettuceFactories.started(new RedisSentinelConfiguration(MASTER, Set.of(nodes.split(","))),
				LettuceFactories.connectTimeout(timeout), timeout);
	}

	/** Returns the server the sentinels name as master now. */
	public PrivateRedis master() {
		List<String> address = this.sentinels.get(0)
			.call((connection) -> connection.sync()
				.dispatch(CommandType.SENTINEL, new ValueListOutput<>(connection.getCodec()),
						new CommandArgs<>(connection.getCodec()).add("get-master-addr-by-name").add(MASTER)));
		int port = Integer.parseInt(address.get(1));
		return this.servers.stream()
			.filter((server) -> server.port() == port)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("The sentinels name an unknown master " + address));
	}

	/**
	 * Kills the master with {@code kill -9}, waits until the sentinels have promoted a
	 * replica, starts the killed server again as a replica of the new master and waits
	 * until both replicas are in sync with it.
	 * @return how long the sentinels took to name the new master
	 */
	public Duration killMaster() throws IOException, InterruptedException {
		PrivateRedis old = master();
		long killedAt = System.nanoTime();
		old.kill();
		await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50)).until(() -> master() != old);
		Duration failover = Duration.ofNanos(System.nanoTime() - killedAt);
		PrivateRedis master = master();
		await().atMost(Duration.ofMinutes(1))
			.until(() -> master.call((connection) -> connection.sync().info("replication")).contains("role:master"));
		// Started as the sentinels would reconfigure it, so that it never serves as an
		// empty master meanwhile.
		old.startServer();
		old.call((connection) -> connection.sync().replicaof(master.host(), master.port()));
		awaitHealthy();
		return failover;
	}

	private void awaitHealthy() {
		await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() -> {
			PrivateRedis master = master();
			String replication = master.call((connection) -> connection.sync().info("replication"));
			if (!replication.contains("role:master") || !replication.contains("connected_slaves:2")) {
				return false;
			}
			for (PrivateRedis server : this.servers) {
				if (server != master && !server.call((connection) -> connection.sync().info("replication"))
					.contains("master_link_status:up")) {
					return false;
				}
			}
			for (PrivateRedis sentinel : this.sentinels) {
				String info = sentinel.call((connection) -> connection.sync().info("sentinel"));
				if (!info.contains("address=" + master.address() + ",slaves=2,sentinels=3")) {
					return false;
				}
			}
			return true;
		});
	}

	/** Returns the servers: the master and its replicas, in no set order. */
	public List<PrivateRedis> servers() {
		return this.servers;
	}

	@Override
	public void close() throws InterruptedException {
		for (PrivateRedis process : this.sentinels) {
			process.close();
		}
		for (PrivateRedis process : this.servers) {
			process.close();
		}
	}

}
