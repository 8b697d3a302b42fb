package io.phonon.benchmarks;

import java.net.URI;
import java.util.concurrent.TimeUnit;

import io.phonon.JacksonJsonCodec;
import io.phonon.atom.AtomBackend;
import io.phonon.atom.Atoms;
import io.phonon.atom.SharedAtom;
import io.phonon.backend.redis.RedisBackend;
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
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * An uncontended increment of a value shared through Redis, one thread: Phonon's
 * {@code SharedAtom.swap} against a Redisson {@code RBucket} compare-and-set loop (get,
 * then compareAndSet until it holds), against the same private Redis.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class SharedAtomRedisBenchmark {

	private LettuceConnectionFactory connectionFactory;

	private AtomBackend backend;

	private Atoms atoms;

	private SharedAtom<Long> phonon;

	private RedissonClient redissonClient;

	private RBucket<Long> redisson;

	@Setup(Level.Trial)
	public void start() throws Exception {
		URI redis = BenchmarkServers.redis();
		this.connectionFactory = BenchmarkServers.connectionFactory(redis);
		this.backend = RedisBackend.atoms(this.connectionFactory, "bench-" + System.nanoTime());
		this.atoms = Atoms.builder(this.backend, new JacksonJsonCodec(JsonMapper.builder().build())).build();
		this.phonon = this.atoms.shared("counter", Long.class, 0L);
		this.redissonClient = BenchmarkServers.redisson(redis);
		this.redisson = this.redissonClient.getBucket("redisson:bench:" + System.nanoTime());
		this.redisson.set(0L);
	}

	@TearDown(Level.Trial)
	public void stop() throws Exception {
		((AutoCloseable) this.atoms).close();
		this.backend.close();
		this.redissonClient.shutdown();
		this.connectionFactory.destroy();
	}

	@Benchmark
	public Long phononSwap() {
		return this.phonon.swap((value) -> value + 1);
	}

	@Benchmark
	public Long redissonCompareAndSetLoop() {
		while (true) {
			Long value = this.redisson.get();
			if (this.redisson.compareAndSet(value, value + 1)) {
				return value + 1;
			}
		}
	}

}
