package io.phonon.backend.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phonon.JacksonJsonCodec;
import io.phonon.atom.AtomBackend;
import io.phonon.atom.Atoms;
import io.phonon.atom.Counter;
import io.phonon.atom.SharedAtom;
import io.phonon.backend.memory.MemoryBackend;
import io.phonon.lock.LockService;
import io.phonon.reference.Reference;
import io.phonon.reference.References;
import io.phonon.testsupport.TestRedis;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Redis loses every key of the namespace under live processes (a restart without
 * persistence, a {@code FLUSHDB}, eviction). References: the next heartbeat finds the
 * session gone, starts it anew, and its references say they were lost instead of going
 * uncounted; new ones join again. Shared atoms and counters: the next change starts again
 * from the initial value, and a change made from a value seen before the loss is refused
 * and made again from the current one.
 */
class RedisDataLossTests {

	@Test
	void sharedAtomsLostWithTheEnginesDataStartAgainFromTheirInitialValue() throws Exception {
		LettuceConnectionFactory redis = TestRedis.connectionFactory();
		String namespace = "atomloss-" + UUID.randomUUID();
		JacksonJsonCodec codec = new JacksonJsonCodec(JsonMapper.builder().build());
		try (AtomBackend engine = RedisBackend.atoms(redis, namespace)) {
			Atoms here = Atoms.builder(engine, codec).build();
			Atoms there = Atoms.builder(engine, codec).build();
			try {
				SharedAtom<Integer> stock = here.shared("stock", Integer.class, 10);
				SharedAtom<Integer> stockThere = there.shared("stock", Integer.class, 10);
				Counter visits = here.counter("visits");
				assertThat(stock.swap((n) -> n + 1)).isEqualTo(11);
				assertThat(stockThere.get()).isEqualTo(11);
				assertThat(visits.incrementAndGet()).isEqualTo(1);
				deleteKeys(redis, namespace + ":*");
				assertThat(stock.swap((n) -> n * 2)).as("from the initial value").isEqualTo(20);
				assertThat(visits.incrementAndGet()).as("from zero").isEqualTo(1);
				assertThat(stockThere.swap((n) -> n + 1)).as("from the current value, not the 11 seen before the loss")
					.isEqualTo(21);
			}
			finally {
				((AutoCloseable) here).close();
				((AutoCloseable) there).close();
			}
		}
	}

	@Test
	void referencesLostWithTheEnginesDataSaySoAndNewOnesJoinAgain() throws Exception {
		LettuceConnectionFactory redis = TestRedis.connectionFactory();
		String namespace = "refloss-" + UUID.randomUUID();
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		LockService locks = LockService.builder(MemoryBackend.locks()).build();
		References references = References.builder(RedisBackend.references(redis, namespace), locks)
			.heartbeatInterval(Duration.ofMillis(100))
			.sessionTimeout(Duration.ofSeconds(5))
			.meterRegistry(registry)
			.build();
		try {
			Reference held = references.acquire("record:1");
			assertThat(held.count()).isEqualTo(1);
			deleteKeys(redis, namespace + ":*");
			await().atMost(Duration.ofSeconds(30))
				.until(() -> registry.get("phonon.reference.session.lost").counter().count() == 1);
			assertThatIllegalStateException().isThrownBy(held::count).withMessageContaining("was lost");
			assertThat(held.release()).isFalse();
			Reference again = references.acquire("record:1");
			assertThat(again.count()).isEqualTo(1);
			assertThat(again.release()).isTrue();
		}
		finally {
			((AutoCloseable) references).close();
			((AutoCloseable) locks).close();
		}
	}

	/**
	 * Deletes every key matching {@code pattern} in one command, as a flush or a restart
	 * loses them: at once.
	 */
	private static void deleteKeys(LettuceConnectionFactory redis, String pattern) {
		List<byte[]> found = new ArrayList<>();
		try (RedisConnection connection = redis.getConnection()) {
			try (Cursor<byte[]> keys = connection.keyCommands()
				.scan(ScanOptions.scanOptions().match(pattern).build())) {
				keys.forEachRemaining(found::add);
			}
			assertThat(found).isNotEmpty();
			assertThat(connection.keyCommands().del(found.toArray(new byte[0][]))).isEqualTo(found.size());
		}
	}

}
