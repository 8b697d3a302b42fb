package io.phonon.backend.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phonon.backend.memory.MemoryBackend;
import io.phonon.lock.Lease;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import io.phonon.reference.Reference;
import io.phonon.reference.References;
import io.phonon.testsupport.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lease renewals and session heartbeats never wait behind the application's commands.
 * Lettuce sends every command of the application down one shared connection; here a
 * {@code BLPOP} holds that connection for three leases, as a long burst of commands
 * would. Renewed on the engine's own connection, the lease held throughout stays valid
 * and is never reported lost, and the session lives on.
 */
class RedisMaintenanceConnectionTests {

	private static final Duration LEASE = Duration.ofMillis(1500);

	@Test
	void aLeaseHeldWhileTheApplicationsConnectionIsBusyIsRenewedAndKept() throws Exception {
		LettuceConnectionFactory redis = TestRedis.newConnectionFactory();
		try (LockBackend engine = RedisBackend.locks(redis, "maint-" + UUID.randomUUID())) {
			LockService locks = LockService.builder(engine).build();
			List<String> lost = new ArrayList<>();
			long[] tokens = new long[2];
			boolean stillValid = locks.withLock("busy", LockOptions.defaults().withLease(LEASE), () -> {
				Lease lease = Lease.current().orElseThrow();
				lease.onLost(() -> lost.add(lease.id()));
				tokens[0] = lease.token();
				blockApplicationConnection(redis, 3 * LEASE.toMillis());
				tokens[1] = Lease.current().orElseThrow().token();
				return lease.isValid();
			});
			assertThat(lost).as("leases reported lost").isEmpty();
			assertThat(stillValid).as("the lease valid after the application's connection was held").isTrue();
			assertThat(tokens[1]).as("the same lease throughout").isEqualTo(tokens[0]);
			((AutoCloseable) locks).close();
		}
		finally {
			redis.destroy();
		}
	}

	@Test
	void aSessionWhoseHeartbeatsFallWhileTheApplicationsConnectionIsBusyIsKept() throws Exception {
		LettuceConnectionFactory redis = TestRedis.newConnectionFactory();
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		LockService locks = LockService.builder(MemoryBackend.locks()).build();
		References references = References.builder(RedisBackend.references(redis, "maint-" + UUID.randomUUID()), locks)
			.heartbeatInterval(Duration.ofMillis(200))
			.sessionTimeout(Duration.ofSeconds(2))
			.meterRegistry(registry)
			.build();
		try {
			Reference held = references.acquire("record:1");
			blockApplicationConnection(redis, 6_000);
			// A call after a session timeout without heartbeats would renew the session
			// first, find it expired and lose the reference.
			assertThat(held.count()).as("the reference still counted").isEqualTo(1);
			assertThat(registry.get("phonon.reference.session.lost").counter().count()).as("sessions lost").isZero();
			assertThat(held.release()).isTrue();
		}
		finally {
			((AutoCloseable) references).close();
			((AutoCloseable) locks).close();
			redis.destroy();
		}
	}

	/**
	 * Holds the application's shared connection with a {@code BLPOP} that nothing ends.
	 */
	@SuppressWarnings("unchecked")
	private static void blockApplicationConnection(LettuceConnectionFactory redis, long millis) throws Exception {
		try (RedisConnection connection = redis.getConnection()) {
			RedisAsyncCommands<byte[], byte[]> shared = (RedisAsyncCommands<byte[], byte[]>) connection
				.getNativeConnection();
			RedisFuture<?> blocked = shared.blpop(millis / 1000.0, ("nothing-" + UUID.randomUUID()).getBytes());
			assertThat(blocked.get(millis + 60_000, TimeUnit.MILLISECONDS)).as("BLPOP timed out").isNull();
		}
	}

}
