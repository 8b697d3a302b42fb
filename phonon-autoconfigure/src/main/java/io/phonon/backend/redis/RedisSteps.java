package io.phonon.backend.redis;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import io.phonon.PhononBackendException;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/** What every Redis engine's step does: borrow a connection, and report failures one way. */
final class RedisSteps {

	private RedisSteps() {
	}

	/**
	 * Runs one step on a connection of {@code connectionFactory}.
	 * @param operation what the step does, for the exception's message: "failed to ..."
	 * @throws PhononBackendException if Redis fails
	 */
	static <T> T run(RedisConnectionFactory connectionFactory, String operation, Function<RedisConnection, T> action) {
		try (RedisConnection connection = connectionFactory.getConnection()) {
			return action.apply(connection);
		}
		catch (DataAccessException ex) {
			throw new PhononBackendException(RedisBackend.NAME, operation, ex);
		}
	}

	static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	/** Shortens an id that may be 64 KiB long for a message. */
	static String abbreviate(String id) {
		return (id.length() <= 200) ? id : id.substring(0, 200) + "...";
	}

}
