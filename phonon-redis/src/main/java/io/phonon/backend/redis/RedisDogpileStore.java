package io.phonon.backend.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.phonon.dogpile.DogpileStore;
import io.phonon.dogpile.PayloadForm;
import io.phonon.dogpile.StoredValue;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Dogpile values on Redis, shared by the cluster, with Redis's clock deciding freshness.
 * A cache's keys share a hash tag, a digest of the cache's name
 * ({@code <ns>:dogpile:{<digest>}<cache>}): {@code :v:<key>} (hash: the encoded value and
 * its compute time, expiring at the end of its stale window), {@code :f:<key>} (present
 * while fresh, with a {@code PX} expiry; removed to expire the value early) and the
 * cache's index (sorted set: key by end of stale window), each step one script. Each
 * write drops up to 100 index entries whose stale window ended, and the index expires
 * with its last value, so it holds about the values that live.
 */
final class RedisDogpileStore implements DogpileStore<String> {

	private static final LuaScript GET = new LuaScript("""
			local v = redis.call('HMGET', KEYS[1], 'v', 'c')
			if not v[1] then return {} end
			return {v[1], v[2], tostring(redis.call('PTTL', KEYS[2]))}
			""");

	private static final LuaScript PUT = new LuaScript("""
			local clock = redis.call('TIME')
			local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
			redis.call('HSET', KEYS[1], 'v', ARGV[1], 'c', ARGV[2])
			redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
			if tonumber(ARGV[4]) < 0 then
			  redis.call('PERSIST', KEYS[1])
			  redis.call('ZADD', KEYS[3], '+inf', ARGV[5])
			else
			  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) + tonumber(ARGV[4]))
			  redis.call('ZADD', KEYS[3], now + tonumber(ARGV[3]) + tonumber(ARGV[4]), ARGV[5])
			end
			local ended = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 100)
			if #ended > 0 then redis.call('ZREM', KEYS[3], unpack(ended)) end
			local last = redis.call('ZRANGE', KEYS[3], -1, -1, 'WITHSCORES')
			if last[2] == 'inf' then
			  redis.call('PERSIST', KEYS[3])
			else
			  redis.call('PEXPIREAT', KEYS[3], last[2])
			end
			return 1
			""");

	private static final LuaScript INVALIDATE = new LuaScript("""
			redis.call('DEL', KEYS[1], KEYS[2])
			redis.call('ZREM', KEYS[3], ARGV[1])
			return 1
			""");

	private static final LuaScript SIZE = new LuaScript("""
			local clock = redis.call('TIME')
			local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
			return redis.call('ZCARD', KEYS[1])
			""");

	private final RedisConnectionFactory connectionFactory;

	private final String namespace;

	RedisDogpileStore(RedisConnectionFactory connectionFactory, String namespace) {
		this.connectionFactory = connectionFactory;
		this.namespace = namespace;
	}

	@Override
	public String name() {
		return RedisBackend.NAME;
	}

	@Override
	public PayloadForm<String> payloadForm() {
		return PayloadForm.ENCODED;
	}

	@Override
	public @Nullable StoredValue<String> get(String cache, String key) {
		List<String> found = execute("read", cache, key,
				(connection) -> GET.list(connection, 2, valueKey(cache, key), freshKey(cache, key)));
		if (found == null || found.isEmpty()) {
			return null;
		}
		long freshMillis = Long.parseLong(found.get(2));
		return new StoredValue<>(found.get(0), (freshMillis > 0) ? TimeUnit.MILLISECONDS.toNanos(freshMillis) : 0,
				Long.parseLong(found.get(1)));
	}

	@Override
	public void put(String cache, String key, String payload, long computeNanos, Duration expireAfter,
			@Nullable Duration maxStale) {
		execute("write", cache, key, (connection) -> PUT.run(connection, 3, valueKey(cache, key), freshKey(cache, key),
				indexKey(cache), RedisSteps.bytes(payload), RedisSteps.bytes(Long.toString(computeNanos)),
				RedisSteps.bytes(Long.toString(millis(expireAfter))),
				RedisSteps.bytes(Long.toString((maxStale != null) ? millis(maxStale) : -1)), RedisSteps.bytes(key)));
	}

	@Override
	public void expire(String cache, String key) {
		// Stale from now (the freshness key goes); the stale window still ends when it
		// would have.
		execute("expire", cache, key, (connection) -> connection.keyCommands().del(freshKey(cache, key)));
	}

	@Override
	public void invalidate(String cache, String key) {
		execute("invalidate", cache, key, (connection) -> INVALIDATE.run(connection, 3, valueKey(cache, key),
				freshKey(cache, key), indexKey(cache), RedisSteps.bytes(key)));
	}

	@Override
	public long size(String cache) {
		return execute("count the values of", cache, "", (connection) -> SIZE.run(connection, 1, indexKey(cache)));
	}

	private <T extends @Nullable Object> T execute(String operation, String cache, String key,
			Function<RedisConnection, T> action) {
		return RedisSteps.run(this.connectionFactory,
				operation + " dogpile cache '" + cache + "' key '" + RedisSteps.abbreviate(key) + "'", action);
	}

	private String tag(String cache) {
		return RedisSteps.keyPrefix(this.namespace, "dogpile") + RedisSteps.hashTag(cache) + cache;
	}

	private byte[] valueKey(String cache, String key) {
		return RedisSteps.bytes(tag(cache) + ":v:" + key);
	}

	private byte[] freshKey(String cache, String key) {
		return RedisSteps.bytes(tag(cache) + ":f:" + key);
	}

	private byte[] indexKey(String cache) {
		return RedisSteps.bytes(tag(cache) + ":index");
	}

	/** Rounds up: a value is never fresh for less than asked. */
	private static long millis(Duration duration) {
		return Math.max(1, TimeUnit.NANOSECONDS.toMillis(duration.toNanos() + 999_999));
	}

}
