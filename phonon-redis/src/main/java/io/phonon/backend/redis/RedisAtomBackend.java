package io.phonon.backend.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

import io.phonon.atom.AtomBackend;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Shared atoms on Redis. Atom {@code a} is the hash {@code <ns>:atom:<tag>:v:a} (version,
 * value) and the stream {@code <ns>:atom:<tag>:log:a} of its last
 * {@link AtomBackend#HISTORY} changes, entry ids {@code <version>-1}. A compare-and-set
 * is one script: it checks the version, writes, appends to the log, and announces the
 * atom on {@code <ns>:atom:changed}; refused, it answers the current version and value,
 * so every attempt is one round trip. {@code <tag>} is the atom's
 * {@linkplain RedisSteps#hashTag hash tag}, so both keys share a Redis Cluster slot.
 */
final class RedisAtomBackend implements AtomBackend {

	/**
	 * Makes a missing atom with the server's clock in microseconds as its version: above
	 * every version given before, should Redis have lost the atom (its versions count up
	 * by one per change from there), so a change made from a value seen before the loss
	 * is refused.
	 */
	private static final LuaScript READ = new LuaScript("""
			local current = redis.call('HMGET', KEYS[1], 'v', 'value')
			if current[1] then return current end
			local time = redis.call('TIME')
			local version = time[1] .. string.format('%06d', tonumber(time[2]))
			redis.call('HSET', KEYS[1], 'v', version, 'value', ARGV[1])
			return {version, ARGV[1]}
			""");

	private static final LuaScript COMPARE_AND_SET = new LuaScript("""
			local current = redis.call('HMGET', KEYS[1], 'v', 'value')
			if current[1] ~= ARGV[1] then return {'0', current[1] or '0', current[2] or ''} end
			local version = string.format('%.0f', tonumber(ARGV[1]) + 1)
			redis.call('HSET', KEYS[1], 'v', version, 'value', ARGV[2])
			redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], version .. '-1', 'value', ARGV[2])
			redis.call('PUBLISH', ARGV[3], ARGV[5])
			return {'1', version, ARGV[2]}
			""");

	/** The log's entries from a version on, flattened: id, value, id, value... */
	private static final LuaScript CHANGES = new LuaScript("""
			local out = {}
			for _, entry in ipairs(redis.call('XRANGE', KEYS[1], ARGV[1], '+')) do
			  table.insert(out, entry[1])
			  table.insert(out, entry[2][2])
			end
			return out
			""");

	private final RedisConnectionFactory connectionFactory;

	private final String prefix;

	private final String channel;

	RedisAtomBackend(RedisConnectionFactory connectionFactory, String namespace) {
		this.connectionFactory = connectionFactory;
		this.prefix = RedisSteps.keyPrefix(namespace, "atom");
		this.channel = namespace + ":atom:changed";
	}

	@Override
	public String name() {
		return RedisBackend.NAME;
	}

	@Override
	public Versioned read(String atom, String initial) {
		List<String> current = Objects.requireNonNull(
				execute("read", atom, (connection) -> READ.list(connection, 1, key(atom), RedisSteps.bytes(initial))));
		return new Versioned(Long.parseLong(current.get(0)), current.get(1));
	}

	@Override
	public Outcome compareAndSet(String atom, long expectedVersion, String value) {
		List<String> outcome = Objects.requireNonNull(execute("change", atom,
				(connection) -> COMPARE_AND_SET.list(connection, 2, key(atom), log(atom),
						RedisSteps.bytes(Long.toString(expectedVersion)), RedisSteps.bytes(value),
						RedisSteps.bytes(this.channel), RedisSteps.bytes(Integer.toString(HISTORY)),
						RedisSteps.bytes(atom))));
		return new Outcome(outcome.get(0).equals("1"), new Versioned(Long.parseLong(outcome.get(1)), outcome.get(2)));
	}

	@Override
	public List<Versioned> changesSince(String atom, long version) {
		List<String> entries = Objects.requireNonNull(execute("read the changes of", atom,
				(connection) -> CHANGES.list(connection, 1, log(atom), RedisSteps.bytes((version + 1) + "-0"))));
		List<Versioned> changes = new ArrayList<>();
		for (int i = 0; i + 1 < entries.size(); i += 2) {
			String id = entries.get(i);
			changes.add(new Versioned(Long.parseLong(id.substring(0, id.indexOf('-'))), entries.get(i + 1)));
		}
		return changes;
	}

	@Override
	public AutoCloseable listen(Consumer<String> changed) {
		return RedisSteps.subscribe(this.connectionFactory, this.channel, changed);
	}

	private <T extends @Nullable Object> T execute(String operation, String atom, Function<RedisConnection, T> action) {
		return RedisSteps.run(this.connectionFactory, operation + " shared atom '" + RedisSteps.abbreviate(atom) + "'",
				action);
	}

	private byte[] key(String atom) {
		return RedisSteps.bytes(this.prefix + RedisSteps.hashTag(atom) + ":v:" + atom);
	}

	private byte[] log(String atom) {
		return RedisSteps.bytes(this.prefix + RedisSteps.hashTag(atom) + ":log:" + atom);
	}

}
