package io.phonon.backend.redis;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.phonon.PhononBackendException;
import io.phonon.lock.LockBackend;
import io.phonon.backend.redis.ReplicaConfirmation.Confirmed;
import io.phonon.backend.support.ReleaseSignals;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.ClusterSlotHashUtil;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Locks on Redis. The lock key holds {@code <token>|<owner>} with a {@code PX} expiry;
 * the fence key holds the id's last token and expires {@link #FENCE_RETENTION} after the
 * lock could last end, so an id leaves nothing behind for long. A token is the greater of
 * the last one plus one and the Redis clock in microseconds: increasing while the fence
 * is kept, and, once it is gone, above every token given before as long as the clock did
 * not step back by more than the retention. Each acquire, renew and release is one
 * script. A release publishes the id; one subscription per backend wakes this JVM's
 * waiters for it, and a bounded poll covers a lost message. A waiter says that it waits
 * (its backend stays in the waiting key for a second); a release while another backend's
 * waiter waits reserves the lock for other backends until one takes it or a second passes
 * (the yield key), so that a process whose threads take the lock in turn cannot starve
 * another's. {@link #handOver} passes a held lock to a waiter of this process in one
 * script, without a release. With {@link ReplicaAcks}, an acquisition or renewal is
 * reported only once the replicas confirm it; an acquisition they do not confirm is
 * released again and fails. Without them, on Lettuce's shared connection (Spring Boot's
 * default, the one Spring Data Redis's reactive connection uses too), an acquisition and
 * a release can also be sent without blocking: reactive sections hold no thread while
 * Redis answers.
 */
final class RedisLockBackend implements LockBackend {

	/**
	 * How long the fence key outlives the lock's lease: what a step back of Redis's clock
	 * may be.
	 */
	static final Duration FENCE_RETENTION = Duration.ofMinutes(1);

	private static final LuaScript ACQUIRE = new LuaScript("""
			local fenceMillis = string.format('%.0f', tonumber(ARGV[2]) + tonumber(ARGV[3]))
			local held = redis.call('GET', KEYS[1])
			if not held then
			  if redis.call('GET', KEYS[3]) == ARGV[4] then
			    return 0
			  end
			  redis.call('DEL', KEYS[3])
			  local time = redis.call('TIME')
			  local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
			  local token = math.max(tonumber(redis.call('GET', KEYS[2]) or '0') + 1, now)
			  local encoded = string.format('%.0f', token)
			  redis.call('SET', KEYS[2], encoded, 'PX', fenceMillis)
			  redis.call('SET', KEYS[1], encoded .. '|' .. ARGV[1], 'PX', ARGV[2])
			  return token
			end
			local separator = string.find(held, '|', 1, true)
			if string.sub(held, separator + 1) == ARGV[1] then
			  redis.call('PEXPIRE', KEYS[1], ARGV[2])
			  redis.call('PEXPIRE', KEYS[2], fenceMillis)
			  return tonumber(string.sub(held, 1, separator - 1))
			end
			return 0
			""");

	/**
	 * Hands a lock from its holder to a waiter of the same process without freeing it:
	 * KEYS lock and fence, ARGV owner, next owner, lease and fence retention; answers the
	 * next owner's token, taken as an acquisition takes one, or 0 if the owner no longer
	 * holds the lock.
	 */
	private static final LuaScript HAND_OVER = new LuaScript("""
			local held = redis.call('GET', KEYS[1])
			if not held or string.sub(held, string.find(held, '|', 1, true) + 1) ~= ARGV[1] then
			  return 0
			end
			local time = redis.call('TIME')
			local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
			local token = math.max(tonumber(redis.call('GET', KEYS[2]) or '0') + 1, now)
			local encoded = string.format('%.0f', token)
			redis.call('SET', KEYS[2], encoded, 'PX', string.format('%.0f', tonumber(ARGV[3]) + tonumber(ARGV[4])))
			redis.call('SET', KEYS[1], encoded .. '|' .. ARGV[2], 'PX', ARGV[3])
			return token
			""");

	/**
	 * Says that a backend waits for a lock, and answers the lock's time to live: KEYS
	 * lock and waiting key (a sorted set of the backends that wait, each scored with when
	 * its word lapses), ARGV the backend's instance and how long the word lasts.
	 */
	private static final LuaScript WAITING = new LuaScript("""
			local time = redis.call('TIME')
			local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
			redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
			redis.call('PEXPIRE', KEYS[2], ARGV[2])
			return redis.call('PTTL', KEYS[1])
			""");

	private static final LuaScript RENEW = new LuaScript("""
			local held = redis.call('GET', KEYS[1])
			if held and string.sub(held, string.find(held, '|', 1, true) + 1) == ARGV[1] then
			  redis.call('PEXPIRE', KEYS[1], ARGV[2])
			  redis.call('PEXPIRE', KEYS[2], string.format('%.0f', tonumber(ARGV[2]) + tonumber(ARGV[3])))
			  return 1
			end
			return 0
			""");

	/**
	 * Renews many locks in one step: KEYS are lock and fence keys in pairs, ARGV the
	 * fence retention, then owner and lease in pairs; answers 1 or 0 per lock.
	 */
	private static final LuaScript RENEW_ALL = new LuaScript("""
			local renewed = {}
			for i = 1, #KEYS / 2 do
			  local held = redis.call('GET', KEYS[2 * i - 1])
			  local lease = ARGV[2 * i + 1]
			  if held and string.sub(held, string.find(held, '|', 1, true) + 1) == ARGV[2 * i] then
			    redis.call('PEXPIRE', KEYS[2 * i - 1], lease)
			    redis.call('PEXPIRE', KEYS[2 * i], string.format('%.0f', tonumber(lease) + tonumber(ARGV[1])))
			    renewed[i] = 1
			  else
			    renewed[i] = 0
			  end
			end
			return renewed
			""");

	private static final LuaScript RELEASE = new LuaScript("""
			local held = redis.call('GET', KEYS[1])
			if held and string.sub(held, string.find(held, '|', 1, true) + 1) == ARGV[1] then
			  redis.call('DEL', KEYS[1])
			  local time = redis.call('TIME')
			  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
			  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
			  local others = redis.call('ZCARD', KEYS[2])
			  if redis.call('ZSCORE', KEYS[2], ARGV[4]) then
			    others = others - 1
			  end
			  if others > 0 then
			    redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[5])
			  end
			  redis.call('PUBLISH', ARGV[2], ARGV[3])
			  return 1
			end
			return 0
			""");

	/**
	 * How long a waiter sleeps at most without news: what a lost release message can
	 * cost.
	 */
	private static final long FALLBACK_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	/**
	 * How long a backend's word that it waits lasts: ten of its waiter's polls, so it
	 * lasts while any of its threads waits, also while one of them holds the lock and the
	 * next has yet to ask. A backend that stops waiting costs others at most one reserved
	 * second.
	 */
	private static final byte[] WAITING_MILLIS = RedisSteps.bytes("1000");

	/**
	 * How long a released lock stays reserved for other backends' waiters: enough for a
	 * woken waiter to take it on a loaded host; cut short by the first other acquisition.
	 */
	private static final byte[] YIELD_MILLIS = RedisSteps.bytes("1000");

	private final RedisConnectionFactory connectionFactory;

	/** {@link #FENCE_RETENTION} in milliseconds, as the scripts take it. */
	private final byte[] fenceRetention;

	private final String keyPrefix;

	private final String channel;

	private final byte[] channelBytes;

	private final ReleaseSignals releases = new ReleaseSignals(this::subscribe);

	private final ReplicaConfirmation confirmation;

	/**
	 * This backend's name in the waiting and yield keys: random, so that no two backends
	 * (processes) share one.
	 */
	private final byte[] instance;

	/** Where renewals go, so that they never wait behind the application's commands. */
	private final MaintenanceConnection maintenance;

	/**
	 * Whether acquisitions and releases may go to Lettuce's shared connection without
	 * blocking: only there does borrowing a connection neither wait for a pool nor open
	 * one.
	 */
	private final boolean callsWithoutBlocking;

	RedisLockBackend(RedisConnectionFactory connectionFactory, String namespace) {
		this(connectionFactory, namespace, FENCE_RETENTION, ReplicaAcks.NONE);
	}

	RedisLockBackend(RedisConnectionFactory connectionFactory, String namespace, Duration fenceRetention,
			ReplicaAcks acks) {
		this.confirmation = new ReplicaConfirmation(acks, connectionFactory);
		this.fenceRetention = milliseconds(fenceRetention);
		this.connectionFactory = connectionFactory;
		this.maintenance = new MaintenanceConnection(connectionFactory);
		byte[] random = new byte[12];
		new SecureRandom().nextBytes(random);
		this.instance = RedisSteps.bytes(HexFormat.of().formatHex(random));
		this.keyPrefix = RedisSteps.keyPrefix(namespace, "lock");
		this.channel = namespace + ":lock:released";
		this.channelBytes = this.channel.getBytes(StandardCharsets.UTF_8);
		this.callsWithoutBlocking = !this.confirmation.required() && MaintenanceConnection.LETTUCE_PRESENT
				&& connectionFactory instanceof LettuceConnectionFactory lettuce && lettuce.getShareNativeConnection();
	}

	@Override
	public String name() {
		return RedisBackend.NAME;
	}

	@Override
	public OptionalLong tryAcquire(String id, String owner, Duration lease) {
		byte[] ownerBytes = RedisSteps.bytes(owner);
		long token = execute("acquire", id, (connection) -> {
			if (!this.confirmation.required()) {
				return ACQUIRE.run(connection, 3, acquisition(id, ownerBytes, lease));
			}
			Confirmed taken = this.confirmation.run(connection, lockKey(id), ACQUIRE, 3,
					acquisition(id, ownerBytes, lease));
			if (taken.answer() > 0 && !this.confirmation.enough(taken)) {
				// Not held: a failover could lose it. Give it back so that nobody waits a
				// lease for a lock that no one holds.
				release(connection, id, ownerBytes);
				throw failure("acquire", id, this.confirmation.shortfall(taken));
			}
			return taken.answer();
		});
		return (token > 0) ? OptionalLong.of(token) : OptionalLong.empty();
	}

	@Override
	public boolean callsWithoutBlocking() {
		return this.callsWithoutBlocking;
	}

	@Override
	public CompletionStage<OptionalLong> tryAcquireAsync(String id, String owner, Duration lease) {
		return executeAsync("acquire", id,
				(commands) -> ACQUIRE.runAsync(commands, 3, acquisition(id, RedisSteps.bytes(owner), lease)))
			.thenApply((token) -> (token > 0) ? OptionalLong.of(token) : OptionalLong.empty());
	}

	@Override
	public CompletionStage<Boolean> releaseAsync(String id, String owner) {
		return executeAsync("release", id,
				(commands) -> RELEASE.runAsync(commands, 3, release(id, RedisSteps.bytes(owner))))
			.thenApply((answer) -> answer == 1);
	}

	@Override
	public boolean renew(String id, String owner, Duration lease) {
		return execute("renew", id, (connection) -> {
			if (!this.confirmation.required()) {
				return RENEW.run(connection, 2, lockKey(id), fenceKey(id), RedisSteps.bytes(owner), milliseconds(lease),
						this.fenceRetention) == 1;
			}
			Confirmed renewed = this.confirmation.run(connection, lockKey(id), RENEW, 2, lockKey(id), fenceKey(id),
					RedisSteps.bytes(owner), milliseconds(lease), this.fenceRetention);
			if (renewed.answer() == 1 && !this.confirmation.enough(renewed)) {
				// The lease stays valid only as long as its last confirmed renewal lets
				// it: the renewer retries until then.
				throw failure("renew", id, this.confirmation.shortfall(renewed));
			}
			return renewed.answer() == 1;
		});
	}

	/**
	 * Renews the batch in one script (on Redis Cluster, one per slot that its keys fall
	 * in). With {@link ReplicaAcks}, one by one, each confirmed.
	 */
	@Override
	public int renewalBatchSize() {
		return this.confirmation.required() ? 1 : 500;
	}

	@Override
	public boolean[] renewAll(List<Renewal> renewals) {
		if (this.confirmation.required()) {
			return LockBackend.super.renewAll(renewals);
		}
		boolean[] renewed = new boolean[renewals.size()];
		this.maintenance.run("renew " + renewals.size() + " lock(s)", (connection) -> {
			byte[][] lockKeys = new byte[renewals.size()][];
			Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
			for (int i = 0; i < renewals.size(); i++) {
				lockKeys[i] = lockKey(renewals.get(i).id());
				int slot = (connection instanceof RedisClusterConnection)
						? ClusterSlotHashUtil.calculateSlot(lockKeys[i]) : 0;
				groups.computeIfAbsent(slot, (key) -> new ArrayList<>()).add(i);
			}
			for (List<Integer> group : groups.values()) {
				byte[][] keysAndArguments = new byte[4 * group.size() + 1][];
				int keys = 2 * group.size();
				keysAndArguments[keys] = this.fenceRetention;
				for (int j = 0; j < group.size(); j++) {
					Renewal renewal = renewals.get(group.get(j));
					keysAndArguments[2 * j] = lockKeys[group.get(j)];
					keysAndArguments[2 * j + 1] = fenceKey(renewal.id());
					keysAndArguments[keys + 1 + 2 * j] = RedisSteps.bytes(renewal.owner());
					keysAndArguments[keys + 2 + 2 * j] = milliseconds(renewal.lease());
				}
				List<String> answers = Objects.requireNonNull(RENEW_ALL.list(connection, keys, keysAndArguments));
				for (int j = 0; j < group.size(); j++) {
					renewed[group.get(j)] = "1".equals(answers.get(j));
				}
			}
			return null;
		});
		return renewed;
	}

	@Override
	public boolean release(String id, String owner) {
		return execute("release", id, (connection) -> release(connection, id, RedisSteps.bytes(owner)));
	}

	private boolean release(RedisConnection connection, String id, byte[] owner) {
		return RELEASE.run(connection, 3, release(id, owner)) == 1;
	}

	/** The keys and arguments of {@link #ACQUIRE}. */
	private byte[][] acquisition(String id, byte[] owner, Duration lease) {
		return new byte[][] { lockKey(id), fenceKey(id), yieldKey(id), owner, milliseconds(lease), this.fenceRetention,
				this.instance };
	}

	/** The keys and arguments of {@link #RELEASE}. */
	private byte[][] release(String id, byte[] owner) {
		return new byte[][] { lockKey(id), waitingKey(id), yieldKey(id), owner, this.channelBytes, RedisSteps.bytes(id),
				this.instance, YIELD_MILLIS };
	}

	private static PhononBackendException failure(String operation, String id, String reason) {
		return new PhononBackendException(RedisBackend.NAME, operation + " lock '" + RedisSteps.abbreviate(id) + "'",
				new IllegalStateException(reason));
	}

	/** Where replicas must confirm, a lock is released and acquired, each confirmed. */
	@Override
	public boolean handsOver() {
		return !this.confirmation.required();
	}

	/** One script; the waiter, in this process, is woken here rather than by a notice. */
	@Override
	public OptionalLong handOver(String id, String owner, String nextOwner, Duration lease) {
		long token = execute("hand over", id, (connection) -> HAND_OVER.run(connection, 2, lockKey(id), fenceKey(id),
				RedisSteps.bytes(owner), RedisSteps.bytes(nextOwner), milliseconds(lease), this.fenceRetention));
		if (token <= 0) {
			return OptionalLong.empty();
		}
		this.releases.signal(id);
		return OptionalLong.of(token);
	}

	@Override
	public void awaitRelease(String id, Duration maxWait) throws InterruptedException {
		try (ReleaseSignals.Registration registration = this.releases.register(id)) {
			long remaining = execute("wait for", id, (connection) -> WAITING.run(connection, 2, lockKey(id),
					waitingKey(id), this.instance, WAITING_MILLIS));
			if (remaining == -2) {
				return;
			}
			long nanos = Math.min(maxWait.toNanos(), FALLBACK_POLL_NANOS);
			registration.await((remaining > 0) ? Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(remaining)) : nanos);
		}
	}

	/** Subscribes to the release channel: the notices of {@link #releases}. */
	private AutoCloseable subscribe(ReleaseSignals signals) {
		return RedisSteps.subscribe(this.connectionFactory, this.channel, signals::signal);
	}

	@Override
	public void close() {
		this.releases.close();
		this.maintenance.close();
	}

	@Override
	public String toString() {
		return "RedisLockBackend[" + this.channel + "]";
	}

	private <T extends @Nullable Object> T execute(String operation, String id, Function<RedisConnection, T> action) {
		return RedisSteps.run(this.connectionFactory, operation + " lock '" + RedisSteps.abbreviate(id) + "'", action);
	}

	/**
	 * Sends one step on Lettuce's shared connection; the stage fails with a
	 * {@link PhononBackendException}, as {@link #execute} throws one.
	 */
	@SuppressWarnings("unchecked")
	private <T> CompletionStage<T> executeAsync(String operation, String id,
			Function<RedisScriptingAsyncCommands<byte[], byte[]>, CompletionStage<T>> action) {
		String what = operation + " lock '" + RedisSteps.abbreviate(id) + "'";
		CompletableFuture<T> answer = new CompletableFuture<>();
		CompletionStage<T> sent;
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			sent = action.apply((RedisScriptingAsyncCommands<byte[], byte[]>) connection.getNativeConnection());
		}
		catch (RuntimeException ex) {
			answer.completeExceptionally(new PhononBackendException(RedisBackend.NAME, what, ex));
			return answer;
		}
		sent.whenComplete((value, failure) -> {
			if (failure == null) {
				answer.complete(value);
			}
			else {
				answer.completeExceptionally(new PhononBackendException(RedisBackend.NAME, what,
						(failure instanceof CompletionException) ? failure.getCause() : failure));
			}
		});
		return answer;
	}

	byte[] lockKey(String id) {
		return RedisSteps.bytes(this.keyPrefix + RedisSteps.hashTag(id) + ":l:" + id);
	}

	byte[] fenceKey(String id) {
		return RedisSteps.bytes(this.keyPrefix + RedisSteps.hashTag(id) + ":f:" + id);
	}

	/** The backends that wait for the lock, each for a second after it last said so. */
	byte[] waitingKey(String id) {
		return RedisSteps.bytes(this.keyPrefix + RedisSteps.hashTag(id) + ":w:" + id);
	}

	/** Names the backend that released the lock to others' waiters, for a second. */
	byte[] yieldKey(String id) {
		return RedisSteps.bytes(this.keyPrefix + RedisSteps.hashTag(id) + ":y:" + id);
	}

	/** Rounded up, so Redis never expires a lock before the holder's own reckoning. */
	private static byte[] milliseconds(Duration lease) {
		return RedisSteps.bytes(Long.toString(TimeUnit.NANOSECONDS.toMillis(lease.toNanos() + 999_999)));
	}

}
