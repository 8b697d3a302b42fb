package io.phonon.backend.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}), loaded with {@code EVAL} the first
 * time a server does not know it, so a call is one round trip.
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

	/** Runs a script that answers an integer. */
	long run(RedisConnection connection, int keys, byte[]... keysAndArguments) {
		Long result = eval(connection, ReturnType.INTEGER, keys, keysAndArguments);
		return (result != null) ? result : 0;
	}

	/** Runs a script that answers a list of strings, or nothing. */
	@Nullable List<String> list(RedisConnection connection, int keys, byte[]... keysAndArguments) {
		List<Object> result = eval(connection, ReturnType.MULTI, keys, keysAndArguments);
		return (result != null) ? result.stream()
			.map((value) -> (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
					: String.valueOf(value))
			.toList() : null;
	}

	private <T> @Nullable T eval(RedisConnection connection, ReturnType type, int keys, byte[]... keysAndArguments) {
		try {
			return connection.scriptingCommands().evalSha(this.sha, type, keys, keysAndArguments);
		}
		catch (RuntimeException ex) {
			if (!isNoScript(ex)) {
				throw ex;
			}
			return connection.scriptingCommands().eval(this.source, type, keys, keysAndArguments);
		}
	}

	/**
	 * Runs a script that answers an integer on a Lettuce connection of its own choosing:
	 * the one that {@link ReplicaConfirmation} then waits on.
	 */
	long run(RedisCommands<byte[], byte[]> commands, int keys, byte[]... keysAndArguments) {
		byte[][] keyArray = Arrays.copyOfRange(keysAndArguments, 0, keys);
		byte[][] arguments = Arrays.copyOfRange(keysAndArguments, keys, keysAndArguments.length);
		Long result;
		try {
			result = commands.evalsha(this.sha, ScriptOutputType.INTEGER, keyArray, arguments);
		}
		catch (RedisNoScriptException ex) {
			result = commands.eval(this.source, ScriptOutputType.INTEGER, keyArray, arguments);
		}
		return (result != null) ? result : 0;
	}

	/**
	 * Sends a script that answers an integer and returns at once; the answer completes
	 * the stage on Lettuce's thread.
	 */
	CompletionStage<Long> runAsync(RedisScriptingAsyncCommands<byte[], byte[]> commands, int keys,
			byte[]... keysAndArguments) {
		byte[][] keyArray = Arrays.copyOfRange(keysAndArguments, 0, keys);
		byte[][] arguments = Arrays.copyOfRange(keysAndArguments, keys, keysAndArguments.length);
		CompletionStage<@Nullable Long> answer = commands
			.<@Nullable Long>evalsha(this.sha, ScriptOutputType.INTEGER, keyArray, arguments)
			.exceptionallyCompose((ex) -> isNoScript(ex)
					? commands.<@Nullable Long>eval(this.source, ScriptOutputType.INTEGER, keyArray, arguments)
					: CompletableFuture.failedStage(ex));
		return answer.thenApply((result) -> (result != null) ? result : 0L);
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
