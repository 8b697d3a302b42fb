package io.phonon.backend.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.phonon.testsupport.WorkerJvm;
import io.phonon.backend.LockFaultTests;
import io.phonon.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import redis.embedded.RedisServer;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault test on a private Redis (the embedded-redis binary) that keeps an append-only
 * file with every write synced, so the fencing counter survives the restart: Phonon's
 * docs say to run Redis so when tokens must outlive a restart.
 */
class RedisLockFaultTests extends LockFaultTests {

	private Path data;

	private int port;

	private RedisServer server;

	@BeforeEach
	void startPrivateRedis() throws Exception {
		this.data = Files.createTempDirectory("phonon-redis");
		this.port = TestRedis.freePort();
		startEngine();
	}

	@AfterEach
	void stopPrivateRedis() throws Exception {
		stopEngine();
	}

	@Override
	protected String engine() {
		return "redis:127.0.0.1:" + this.port;
	}

	@Override
	protected void startEngine() throws IOException {
		this.server = RedisServer.newRedisServer()
			.port(this.port)
			.bind("127.0.0.1")
			.setting("dir " + this.data)
			.setting("appendonly yes")
			.setting("appendfsync always")
			.setting("save \"\"")
			.build();
		this.server.start();
	}

	@Override
	protected void stopEngine() throws IOException {
		if (this.server != null && this.server.isActive()) {
			this.server.stop();
		}
	}

	@Override
	protected long leaseExpiryMicros(long token) {
		LettuceConnectionFactory factory = TestRedis.connect("127.0.0.1", this.port, Duration.ofSeconds(5));
		try (var connection = factory.getConnection()) {
			byte[] key = new RedisLockBackend(factory, "fault").lockKey("fault");
			long before = WorkerJvm.micros();
			Long remaining = connection.keyCommands().pTtl(key);
			byte[] value = connection.stringCommands().get(key);
			assertThat(value).as("the holder's key").isNotNull();
			assertThat(new String(value, StandardCharsets.UTF_8)).startsWith(token + "|");
			return before + remaining * 1000;
		}
		finally {
			factory.destroy();
		}
	}

}
