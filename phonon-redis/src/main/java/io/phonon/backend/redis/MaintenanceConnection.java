package io.phonon.backend.redis;

import java.util.function.Function;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.phonon.PhononBackendException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClusterConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.ClassUtils;

/**
 * The engine's own connection for its upkeep (lease renewals, session heartbeats), so
 * that it never waits behind the application's traffic: with Lettuce, every command of
 * the application shares one connection, and a burst of thousands of commands, or one
 * blocking command, there would hold up a renewal past its lease. It is a second
 * connection of the application's Lettuce client (same servers, credentials, TLS,
 * Sentinel or Cluster topology), opened at the first use and closed with the engine.
 * Where there is no such client (Jedis, whose pool already gives each step a connection
 * of its own, or a static master/replica set-up, whose client knows no server by itself),
 * the steps borrow the application's connections as every other step does.
 */
final class MaintenanceConnection implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(MaintenanceConnection.class);

	static final boolean LETTUCE_PRESENT = ClassUtils.isPresent("io.lettuce.core.RedisClient",
			MaintenanceConnection.class.getClassLoader());

	private final RedisConnectionFactory connectionFactory;

	/** The open connection; Lettuce's connections are safe for concurrent commands. */
	private volatile @Nullable RedisConnection connection;

	/** Whether the application's connections serve instead, for good. */
	private boolean shared;

	private boolean closed;

	MaintenanceConnection(RedisConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
		this.shared = !(LETTUCE_PRESENT && connectionFactory instanceof LettuceConnectionFactory);
	}

	/**
	 * Runs one step on the maintenance connection.
	 * @param operation what the step does, for the exception's message: "failed to ..."
	 * @throws PhononBackendException if Redis fails
	 */
	<T extends @Nullable Object> T run(String operation, Function<RedisConnection, T> action) {
		RedisConnection connection = this.connection;
		try {
			if (connection == null) {
				connection = connection();
			}
		}
		catch (DataAccessException ex) {
			throw new PhononBackendException(RedisBackend.NAME, operation, ex);
		}
		if (connection == null) {
			return RedisSteps.run(this.connectionFactory, operation, action);
		}
		try {
			return action.apply(connection);
		}
		catch (DataAccessException ex) {
			throw new PhononBackendException(RedisBackend.NAME, operation, ex);
		}
	}

	private synchronized @Nullable RedisConnection connection() {
		RedisConnection open = this.connection;
		if (open != null || this.shared || this.closed) {
			return open;
		}
		LettuceConnectionFactory lettuce = (LettuceConnectionFactory) this.connectionFactory;
		AbstractRedisClient client = lettuce.getRequiredNativeClient();
		RedisConnection connection;
		if (client instanceof RedisClusterClient cluster) {
			connection = new LettuceClusterConnection(cluster);
		}
		else {
			connection = new LettuceConnection(null, lettuce.getTimeout(), client, lettuce.getDatabase());
		}
		try {
			// Opens the connection now, once: opened lazily by concurrent steps, two
			// could
			// be opened and one left open.
			connection.getNativeConnection();
		}
		catch (RuntimeException ex) {
			connection.close();
			if (client instanceof RedisClient && isWithoutServer(ex)) {
				logger.debug("The Redis client names no server of its own (a static master/replica set-up): Phonon"
						+ " renews on the application's connections");
				this.shared = true;
				return null;
			}
			throw ex;
		}
		this.connection = connection;
		return connection;
	}

	/** Whether Lettuce refused because the client was made without a server's URI. */
	private static boolean isWithoutServer(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof IllegalStateException && String.valueOf(cause.getMessage()).contains("RedisURI")) {
				return true;
			}
		}
		return false;
	}

	@Override
	public synchronized void close() {
		this.closed = true;
		RedisConnection open = this.connection;
		this.connection = null;
		if (open != null) {
			open.close();
		}
	}

}
