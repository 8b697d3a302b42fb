package io.phonon.backend.redis;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.function.Function;

import io.phonon.PhononBackendException;
import io.phonon.backend.support.Digests;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * What every Redis engine's step does: borrow a connection, and report failures one way.
 */
final class RedisSteps {

	private RedisSteps() {
	}

	/**
	 * Runs one step on a connection of {@code connectionFactory}.
	 * @param operation what the step does, for the exception's message: "failed to ..."
	 * @throws PhononBackendException if Redis fails
	 */
	static <T extends @Nullable Object> T run(RedisConnectionFactory connectionFactory, String operation,
			Function<RedisConnection, T> action) {
		try (RedisConnection connection = connectionFactory.getConnection()) {
			return action.apply(connection);
		}
		catch (DataAccessException ex) {
			throw new PhononBackendException(RedisBackend.NAME, operation, ex);
		}
	}

	/**
	 * Subscribes to a channel on a connection of its own; {@code onMessage} runs on the
	 * subscription's thread, so it must be quick.
	 * @return what ends the subscription
	 */
	static AutoCloseable subscribe(RedisConnectionFactory connectionFactory, String channel,
			Consumer<String> onMessage) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(connectionFactory);
		container.setTaskExecutor(new SyncTaskExecutor());
		container.addMessageListener(
				(message, pattern) -> onMessage.accept(new String(message.getBody(), StandardCharsets.UTF_8)),
				new ChannelTopic(channel));
		container.afterPropertiesSet();
		try {
			container.start();
		}
		catch (RuntimeException ex) {
			destroy(container);
			throw ex;
		}
		return () -> destroy(container);
	}

	private static void destroy(RedisMessageListenerContainer container) {
		try {
			container.destroy();
		}
		catch (Exception ex) {
			// Ending a subscription only stops notices; nothing is lost.
		}
	}

	/**
	 * The start of every key of an engine: the namespace, with the braces (and the
	 * percent sign that escapes them) percent-encoded, so that no namespace can open a
	 * Redis Cluster hash tag.
	 */
	static String keyPrefix(String namespace, String kind) {
		return namespace.replace("%", "%25").replace("{", "%7B").replace("}", "%7D") + ":" + kind + ":";
	}

	/**
	 * The Redis Cluster hash tag of a name: its digest in braces, so that every key made
	 * from the name lands in one slot whatever characters the name holds (a brace in a
	 * raw name would end or empty the tag and scatter the keys of one script across
	 * slots).
	 */
	static String hashTag(String name) {
		return "{" + HexFormat.of().formatHex(Digests.sha256(name), 0, 8) + "}";
	}

	static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	/** Shortens an id that may be 64 KiB long for a message. */
	static String abbreviate(String id) {
		return (id.length() <= 200) ? id : id.substring(0, 200) + "...";
	}

}
