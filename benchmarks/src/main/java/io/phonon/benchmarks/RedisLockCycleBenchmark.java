package io.phonon.benchmarks;

import java.lang.reflect.Field;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.phonon.backend.redis.RedisBackend;
import io.phonon.lock.Lease;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.provider.redis.spring.RedisLockProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.redis.util.RedisLockRegistry;

/**
 * One uncontended acquire and release of a Redis lock, on one thread, against the same
 * private Redis: Phonon, Redisson {@code RLock}, Spring Integration
 * {@code RedisLockRegistry}, ShedLock's Redis provider, and the floor: Phonon's own two
 * Lua scripts sent on one bare Lettuce connection, with nothing around them. Every lock
 * has a 30 s lease.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RedisLockCycleBenchmark {

	private LettuceConnectionFactory connectionFactory;

	private LockBackend phononBackend;

	private LockService phonon;

	private final LockOptions options = LockOptions.defaults().withLease(Duration.ofSeconds(30));

	private RedissonClient redissonClient;

	private RLock redisson;

	private RedisLockRegistry registry;

	private Lock springIntegration;

	private RedisLockProvider shedlock;

	private RedisClient rawClient;

	private StatefulRedisConnection<byte[], byte[]> rawConnection;

	private RedisCommands<byte[], byte[]> raw;

	private RedisAsyncCommands<byte[], byte[]> rawAsync;

	private String acquireSha;

	private String releaseSha;

	/** The lock, fence, yield and waiting keys, in one slot as Phonon's are. */
	private final byte[][] rawKeys = { bytes("raw:lock:{bench}"), bytes("raw:lock:{bench}:fence"),
			bytes("raw:lock:{bench}:yield"), bytes("raw:lock:{bench}:waiting") };

	private long rawSequence;

	@Setup(Level.Trial)
	public void start() throws Exception {
		URI redis = BenchmarkServers.redis();
		this.connectionFactory = BenchmarkServers.connectionFactory(redis);
		this.phononBackend = RedisBackend.locks(this.connectionFactory, "bench");
		this.phonon = LockService.builder(this.phononBackend).build();

		this.redissonClient = BenchmarkServers.redisson(redis);
		this.redisson = this.redissonClient.getLock("redisson:bench");

		this.registry = new RedisLockRegistry(this.connectionFactory, "si", Duration.ofSeconds(30));
		this.springIntegration = this.registry.obtain("bench");

		this.shedlock = new RedisLockProvider(this.connectionFactory, "shedlock");

		this.rawClient = RedisClient.create("redis://" + redis.getHost() + ":" + redis.getPort());
		this.rawConnection = this.rawClient.connect(ByteArrayCodec.INSTANCE);
		this.raw = this.rawConnection.sync();
		this.rawAsync = this.rawConnection.async();
		this.acquireSha = this.raw.scriptLoad(phononScript("ACQUIRE"));
		this.releaseSha = this.raw.scriptLoad(phononScript("RELEASE"));
	}

	@TearDown(Level.Trial)
	public void stop() throws Exception {
		((AutoCloseable) this.phonon).close();
		this.phononBackend.close();
		this.redissonClient.shutdown();
		this.registry.destroy();
		this.rawConnection.close();
		this.rawClient.shutdown();
		this.connectionFactory.destroy();
	}

	@Benchmark
	public long phonon() {
		try (Lease lease = this.phonon.acquire("bench", this.options)) {
			return lease.token();
		}
	}

	@Benchmark
	public boolean redisson() throws InterruptedException {
		boolean locked = this.redisson.tryLock(0, 30, TimeUnit.SECONDS);
		this.redisson.unlock();
		return locked;
	}

	@Benchmark
	public boolean springIntegration() {
		boolean locked = this.springIntegration.tryLock();
		this.springIntegration.unlock();
		return locked;
	}

	@Benchmark
	public boolean shedlock() {
		var lock = this.shedlock
			.lock(new LockConfiguration(Instant.now(), "bench", Duration.ofSeconds(30), Duration.ZERO))
			.orElseThrow();
		lock.unlock();
		return true;
	}

	/** The floor: the same two scripts Phonon sends, on one bare connection. */
	@Benchmark
	public long rawFloor() {
		byte[] owner = bytes("raw-owner:" + (++this.rawSequence));
		long token = rawAcquire(owner);
		this.raw.evalsha(this.releaseSha, ScriptOutputType.INTEGER, rawReleaseKeys(), rawReleaseArgs(owner));
		return token;
	}

	/**
	 * What a pipelined release would save, measured before building one: the floor with
	 * the release sent but not awaited (the next acquisition follows it on the same
	 * connection, so Redis runs them in order).
	 */
	@Benchmark
	public long rawFloorReleaseNotAwaited() {
		byte[] owner = bytes("raw-owner:" + (++this.rawSequence));
		long token = rawAcquire(owner);
		this.rawAsync.evalsha(this.releaseSha, ScriptOutputType.INTEGER, rawReleaseKeys(), rawReleaseArgs(owner));
		return token;
	}

	// The arguments Phonon's engine passes: the owner, lease, fence retention and
	// instance; on release also the channel, id and how long a yield lasts.
	private long rawAcquire(byte[] owner) {
		return this.raw.evalsha(this.acquireSha, ScriptOutputType.INTEGER,
				new byte[][] { this.rawKeys[0], this.rawKeys[1], this.rawKeys[2] }, owner, bytes("30000"),
				bytes("60000"), bytes("raw-instance"));
	}

	private byte[][] rawReleaseKeys() {
		return new byte[][] { this.rawKeys[0], this.rawKeys[3], this.rawKeys[2] };
	}

	private static byte[][] rawReleaseArgs(byte[] owner) {
		return new byte[][] { owner, bytes("raw:lock:released"), bytes("bench"), bytes("raw-instance"), bytes("1000") };
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Reads a script's source from Phonon's Redis engine, so the floor sends exactly the
	 * same Lua.
	 */
	private static byte[] phononScript(String name) throws ReflectiveOperationException {
		Class<?> backend = Class.forName("io.phonon.backend.redis.RedisLockBackend");
		Field scriptField = backend.getDeclaredField(name);
		scriptField.setAccessible(true);
		Object script = scriptField.get(null);
		Field source = script.getClass().getDeclaredField("source");
		source.setAccessible(true);
		return (byte[]) source.get(script);
	}

}
