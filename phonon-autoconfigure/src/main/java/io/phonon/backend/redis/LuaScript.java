package io.phonon.backend.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}), loaded with {@code EVAL} the first time a
 * server does not know it, so a call is one round trip.
 */
final class LuaScript {

	private final byte[] source;

	private final String sha;

	LuaScript(String source) {
		this.source = source.getBytes(StandardCharsets.UTF_8);
		try {
			this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(this.source));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is required of every Java platform", ex);
		}
	}

	long run(RedisConnection connection, int keys, byte[]... keysAndArguments) {
		Long result;
		try {
			result = connection.scriptingCommands().evalSha(this.sha, ReturnType.INTEGER, keys, keysAndArguments);
		}
		catch (RuntimeException ex) {
			if (!isNoScript(ex)) {
				throw ex;
			}
			result = connection.scriptingCommands().eval(this.source, ReturnType.INTEGER, keys, keysAndArguments);
		}
		return (result != null) ? result : 0;
	}

	private static boolean isNoScript(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null && cause.getMessage().contains("NOSCRIPT")) {
				return true;
			}
		}
		return false;
	}

}
