package io.phonon.backend.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.lettuce.core.RedisException;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.ClassUtils;

/**
 * Runs a lock's script and waits until the replicas of {@link ReplicaAcks} have its
 * write: {@code WAIT}, or {@code WAITAOF 1 <replicas>} where the server knows it (Redis
 * 7.2+) and keeps an append-only file, which it tells once per engine. Redis waits for
 * the writes of the client that asks, so the script and the wait go on one Lettuce
 * connection: the application's connection on a single server or Sentinel, the connection
 * to the node that serves the key on Redis Cluster (a script sent there after a failover
 * is refused with {@code MOVED}, never confirmed by the wrong node).
 */
final class ReplicaConfirmation {

	private static final ProtocolKeyword WAITAOF = () -> "WAITAOF".getBytes(StandardCharsets.US_ASCII);

	private final ReplicaAcks acks;

	/** Whether to use WAITAOF; null until the first confirmation asks the server. */
	private volatile @Nullable Boolean appendOnly;

	/**
	 * @throws IllegalArgumentException if replicas must confirm and the factory is not
	 * Lettuce's, which alone lets the wait go on the script's connection
	 */
	ReplicaConfirmation(ReplicaAcks acks, RedisConnectionFactory connectionFactory) {
		if (acks.required()
				&& !(ClassUtils.isPresent("io.lettuce.core.RedisClient", ReplicaConfirmation.class.getClassLoader())
						&& connectionFactory instanceof LettuceConnectionFactory)) {
			throw new IllegalArgumentException(notLettuce(connectionFactory));
		}
		this.acks = acks;
	}

	private static String notLettuce(Object connectionFactory) {
		return "phonon.redis.replica-acks needs Spring Data Redis's Lettuce driver (Spring Boot's default), and the"
				+ " connection factory is " + connectionFactory.getClass().getName()
				+ "; remove phonon.redis.replica-acks or use Lettuce";
	}

	boolean required() {
		return this.acks.required();
	}

	/**
	 * Runs {@code script} on the connection that writes {@code key} and, if it answers a
	 * positive number, waits for the replicas.
	 * @return the script's answer, and how many replicas confirmed it (at most the number
	 * asked for)
	 */
	Confirmed run(RedisConnection connection, byte[] key, LuaScript script, int keys, byte[]... keysAndArguments) {
		RedisCommands<byte[], byte[]> commands = commandsFor(connection, key);
		try {
			long answer = script.run(commands, keys, keysAndArguments);
			return new Confirmed(answer, (answer > 0) ? await(commands) : 0);
		}
		catch (RedisException ex) {
			throw new RedisSystemException("Redis failed while Phonon waited for its replicas", ex);
		}
	}

	private long await(RedisCommands<byte[], byte[]> commands) {
		long timeout = Math.max(1, this.acks.timeout().toMillis());
		Boolean appendOnly = this.appendOnly;
		if (appendOnly == null) {
			List<Object> info = commands.commandInfo("WAITAOF");
			appendOnly = !info.isEmpty() && info.get(0) != null
					&& commands.info("persistence").contains("aof_enabled:1");
			this.appendOnly = appendOnly;
		}
		if (!appendOnly) {
			return commands.waitForReplication(this.acks.replicas(), timeout);
		}
		List<Object> counts = commands.dispatch(WAITAOF, new ArrayOutput<>(ByteArrayCodec.INSTANCE),
				new CommandArgs<>(ByteArrayCodec.INSTANCE).add(1).add(this.acks.replicas()).add(timeout));
		return (((Number) counts.get(0)).longValue() >= 1) ? ((Number) counts.get(1)).longValue() : 0;
	}

	@SuppressWarnings("unchecked")
	private static RedisCommands<byte[], byte[]> commandsFor(RedisConnection connection, byte[] key) {
		Object nativeConnection = connection.getNativeConnection();
		if (nativeConnection instanceof RedisAdvancedClusterAsyncCommands<?, ?> cluster) {
			StatefulRedisClusterConnection<byte[], byte[]> stateful = (StatefulRedisClusterConnection<byte[], byte[]>) cluster
				.getStatefulConnection();
			RedisClusterNode master = stateful.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
			if (master == null) {
				throw new RedisSystemException(
						"No Redis Cluster node serves the slot of " + new String(key, StandardCharsets.UTF_8), null);
			}
			return stateful.getConnection(master.getNodeId()).sync();
		}
		if (nativeConnection instanceof RedisAsyncCommands<?, ?> single) {
			return ((RedisAsyncCommands<byte[], byte[]>) single).getStatefulConnection().sync();
		}
		// Only a factory that is Lettuce's gets here, so only a subclass that changed its
		// connections could.
		throw new IllegalStateException(notLettuce(connection));
	}

	/** Whether the replicas that confirmed are enough. */
	boolean enough(Confirmed confirmed) {
		return confirmed.replicas() >= this.acks.replicas();
	}

	String shortfall(Confirmed confirmed) {
		return "only " + confirmed.replicas() + " of the " + this.acks.replicas() + " replicas that"
				+ " phonon.redis.replica-acks asks for confirmed the write within " + this.acks.timeout();
	}

	/** A script's answer and how many replicas confirmed its write. */
	record Confirmed(long answer, long replicas) {
	}

}
