package io.phonon.backend.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.phonon.reference.LastRelease;
import io.phonon.reference.ReferenceBackend;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * References on Redis. Every step is one Lua script, so atomic, with Redis's {@code TIME}
 * as the clock. All keys of a namespace share one hash tag
 * ({@code <ns>:ref:{<digest>}:...}), so each script's keys live in one Redis Cluster
 * slot: {@code sessions} (sorted set: process by expiry), {@code processes} (those
 * holding anything), {@code holders:<resource>} and {@code held:<process>} (sets),
 * {@code modified:<resource>}, {@code releases} (set of ids) and {@code release:<id>}
 * (hash: resource, times, runner).
 */
final class RedisReferenceBackend implements ReferenceBackend {

	/**
	 * What every script shares: the clock, liveness, and what emptying and reaping do.
	 */
	private static final String PRELUDE = """
			local P = ARGV[1]
			local clock = redis.call('TIME')
			local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
			local function live(p)
			  local expires = redis.call('ZSCORE', P .. 'sessions', p)
			  return expires and tonumber(expires) > now
			end
			local function emptied(r, runner)
			  local id = tostring(redis.call('INCR', P .. 'release-ids'))
			  local times = redis.call('GET', P .. 'modified:' .. r) or '0'
			  redis.call('DEL', P .. 'modified:' .. r, P .. 'holders:' .. r)
			  redis.call('HSET', P .. 'release:' .. id, 'resource', r, 'times', times, 'runner', runner)
			  redis.call('SADD', P .. 'releases', id)
			  return {id, times}
			end
			local function drop(p, r)
			  redis.call('SREM', P .. 'held:' .. p, r)
			  if redis.call('SCARD', P .. 'held:' .. p) == 0 then redis.call('SREM', P .. 'processes', p) end
			end
			local function reap(p)
			  local resources = redis.call('SMEMBERS', P .. 'held:' .. p)
			  redis.call('DEL', P .. 'held:' .. p)
			  redis.call('SREM', P .. 'processes', p)
			  for _, r in ipairs(resources) do
			    if redis.call('SREM', P .. 'holders:' .. r, p) == 1 and redis.call('SCARD', P .. 'holders:' .. r) == 0 then
			      emptied(r, '')
			    end
			  end
			end
			""";

	private static final LuaScript HEARTBEAT = script("""
			local was = live(ARGV[2])
			redis.call('ZADD', P .. 'sessions', now + tonumber(ARGV[3]), ARGV[2])
			if was then return 1 end
			return 0
			""");

	private static final LuaScript HELD_BY = script("""
			local held = {}
			for i = 3, #ARGV do
			  if redis.call('SISMEMBER', P .. 'held:' .. ARGV[2], ARGV[i]) == 1 then table.insert(held, ARGV[i]) end
			end
			return held
			""");

	private static final LuaScript END_SESSION = script("""
			redis.call('ZREM', P .. 'sessions', ARGV[2])
			reap(ARGV[2])
			return 1
			""");

	private static final LuaScript JOIN = script("""
			redis.call('SADD', P .. 'holders:' .. ARGV[2], ARGV[3])
			redis.call('SADD', P .. 'held:' .. ARGV[3], ARGV[2])
			redis.call('SADD', P .. 'processes', ARGV[3])
			return 1
			""");

	private static final LuaScript LEAVE = script("""
			local r, p = ARGV[2], ARGV[3]
			if redis.call('SREM', P .. 'holders:' .. r, p) == 0 then return {} end
			drop(p, r)
			for _, other in ipairs(redis.call('SMEMBERS', P .. 'holders:' .. r)) do
			  if not live(other) then
			    redis.call('SREM', P .. 'holders:' .. r, other)
			    drop(other, r)
			  end
			end
			if redis.call('SCARD', P .. 'holders:' .. r) == 0 then return emptied(r, p) end
			return {}
			""");

	private static final LuaScript COUNT = script("""
			local count = 0
			for _, p in ipairs(redis.call('SMEMBERS', P .. 'holders:' .. ARGV[2])) do
			  if live(p) then count = count + 1 end
			end
			return count
			""");

	private static final LuaScript MARK_MODIFIED = script("""
			return redis.call('INCR', P .. 'modified:' .. ARGV[2])
			""");

	private static final LuaScript TIMES_MODIFIED = script("""
			return tonumber(redis.call('GET', P .. 'modified:' .. ARGV[2]) or '0')
			""");

	private static final LuaScript REAP = script("""
			local reaped = {}
			for _, p in ipairs(redis.call('ZRANGEBYSCORE', P .. 'sessions', '-inf', now)) do
			  redis.call('ZREM', P .. 'sessions', p)
			  reap(p)
			  table.insert(reaped, p)
			end
			for _, p in ipairs(redis.call('SMEMBERS', P .. 'processes')) do
			  if not live(p) then
			    reap(p)
			    table.insert(reaped, p)
			  end
			end
			return reaped
			""");

	private static final LuaScript UNHANDLED = script("""
			local out = {}
			for _, id in ipairs(redis.call('SMEMBERS', P .. 'releases')) do
			  local release = redis.call('HMGET', P .. 'release:' .. id, 'resource', 'times', 'runner')
			  if release[1] and (not release[3] or release[3] == '' or not live(release[3])) then
			    table.insert(out, id)
			    table.insert(out, release[1])
			    table.insert(out, release[2])
			  end
			end
			return out
			""");

	private static final LuaScript CLAIM = script("""
			local runner = redis.call('HGET', P .. 'release:' .. ARGV[2], 'runner')
			if not runner then return 0 end
			if runner == '' or runner == ARGV[3] or not live(runner) then
			  redis.call('HSET', P .. 'release:' .. ARGV[2], 'runner', ARGV[3])
			  return 1
			end
			return 0
			""");

	private static final LuaScript COMPLETE = script("""
			redis.call('DEL', P .. 'release:' .. ARGV[2])
			redis.call('SREM', P .. 'releases', ARGV[2])
			return 1
			""");

	private final RedisConnectionFactory connectionFactory;

	/** Where the heartbeat's steps go: {@link #maintain}. */
	private final MaintenanceConnection maintenance;

	private final byte[] prefix;

	/**
	 * A key of the namespace's slot, declared so the scripts route to it in a cluster.
	 */
	private final byte[] slotKey;

	RedisReferenceBackend(RedisConnectionFactory connectionFactory, String namespace) {
		this.connectionFactory = connectionFactory;
		this.maintenance = new MaintenanceConnection(connectionFactory);
		String prefix = RedisSteps.keyPrefix(namespace, "ref") + RedisSteps.hashTag(namespace) + ":";
		this.prefix = RedisSteps.bytes(prefix);
		this.slotKey = RedisSteps.bytes(prefix + "sessions");
	}

	private static LuaScript script(String body) {
		return new LuaScript(PRELUDE + body);
	}

	@Override
	public String name() {
		return RedisBackend.NAME;
	}

	@Override
	public boolean heartbeat(String process, Duration sessionTimeout) {
		return upkeep("extend the session of", process, HEARTBEAT, process,
				Long.toString(sessionTimeout.toMillis())) == 1;
	}

	@Override
	public Set<String> heldBy(String process, Collection<String> resources) {
		String[] arguments = new String[resources.size() + 1];
		arguments[0] = process;
		int i = 1;
		for (String resource : resources) {
			arguments[i++] = resource;
		}
		List<String> held = maintain("find the holdings of", process,
				(connection) -> HELD_BY.list(connection, 1, arguments(arguments)));
		return (held != null) ? Set.copyOf(held) : Set.of();
	}

	@Override
	public void endSession(String process) {
		run("end the session of", process, END_SESSION, process);
	}

	@Override
	public void join(String resource, String process) {
		run("acquire a reference to", resource, JOIN, resource, process);
	}

	@Override
	public Optional<LastRelease> leave(String resource, String process) {
		List<String> emptied = execute("release a reference to", resource,
				(connection) -> LEAVE.list(connection, 1, arguments(resource, process)));
		return (emptied == null || emptied.isEmpty()) ? Optional.empty()
				: Optional.of(new LastRelease(emptied.get(0), resource, Long.parseLong(emptied.get(1))));
	}

	@Override
	public long count(String resource) {
		return run("count the holders of", resource, COUNT, resource);
	}

	@Override
	public long markModified(String resource) {
		return run("mark modified", resource, MARK_MODIFIED, resource);
	}

	@Override
	public long timesModified(String resource) {
		return run("read the modifications of", resource, TIMES_MODIFIED, resource);
	}

	@Override
	public List<String> reapExpiredSessions() {
		List<String> reaped = maintain("reap expired sessions in", "",
				(connection) -> REAP.list(connection, 1, arguments()));
		return (reaped != null) ? reaped.stream().distinct().toList() : List.of();
	}

	@Override
	public List<LastRelease> unhandled() {
		List<String> fields = maintain("find unhandled last releases in", "",
				(connection) -> UNHANDLED.list(connection, 1, arguments()));
		List<LastRelease> releases = new ArrayList<>();
		for (int i = 0; fields != null && i + 2 < fields.size(); i += 3) {
			releases.add(new LastRelease(fields.get(i), fields.get(i + 1), Long.parseLong(fields.get(i + 2))));
		}
		return releases;
	}

	@Override
	public boolean claim(String id, String process) {
		return upkeep("claim last release " + id + " in", "", CLAIM, id, process) == 1;
	}

	@Override
	public void complete(String id) {
		upkeep("complete last release " + id + " in", "", COMPLETE, id);
	}

	@Override
	public void close() {
		this.maintenance.close();
	}

	private long run(String operation, String subject, LuaScript script, String... arguments) {
		return execute(operation, subject, (connection) -> script.run(connection, 1, arguments(arguments)));
	}

	/** Runs a script of the session's upkeep: see {@link #maintain}. */
	private long upkeep(String operation, String subject, LuaScript script, String... arguments) {
		return maintain(operation, subject, (connection) -> script.run(connection, 1, arguments(arguments)));
	}

	/** The slot key, then the prefix and the script's own arguments. */
	private byte[][] arguments(String... arguments) {
		byte[][] all = new byte[arguments.length + 2][];
		all[0] = this.slotKey;
		all[1] = this.prefix;
		for (int i = 0; i < arguments.length; i++) {
			all[i + 2] = RedisSteps.bytes(arguments[i]);
		}
		return all;
	}

	private <T extends @Nullable Object> T execute(String operation, String subject,
			Function<RedisConnection, T> action) {
		return RedisSteps.run(this.connectionFactory, operation + " '" + subject + "'", action);
	}

	/**
	 * Runs a step of the heartbeat's upkeep (the session, reaping, last releases) on the
	 * engine's own connection: the heartbeat must not wait behind the application's
	 * commands past the session timeout.
	 */
	private <T extends @Nullable Object> T maintain(String operation, String subject,
			Function<RedisConnection, T> action) {
		return this.maintenance.run(operation + " '" + subject + "'", action);
	}

}
