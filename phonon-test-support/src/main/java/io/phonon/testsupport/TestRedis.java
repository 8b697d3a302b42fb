package io.phonon.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

import redis.embedded.RedisServer;
import redis.embedded.core.RedisServerBuilder;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The Redis the tests run against: the server named by {@code PHONON_TEST_REDIS_URL} (as
 * {@code redis://host:port}) when set, which {@code .ci/run} points at this machine's
 * server; otherwise a private server from the embedded-redis binary, started once per
 * test JVM. Tests that kill or pause a server never use this one.
 */
public final class TestRedis {

	private static LettuceConnectionFactory shared;

	private TestRedis() {
	}

	/** Returns the shared connection factory, starting a private server if needed. */
	public static synchronized LettuceConnectionFactory connectionFactory() {
		if (shared == null) {
			String url = System.getenv("PHONON_TEST_REDIS_URL");
			URI uri = (url != null && !url.isBlank()) ? URI.create(url) : startPrivateServer();
			System.out.println("Redis tests run against " + uri + ((url != null && !url.isBlank())
					? " (PHONON_TEST_REDIS_URL)" : " (a private embedded-redis server)"));
			shared = connect(uri.getHost(), uri.getPort(), Duration.ofSeconds(10));
		}
		return shared;
	}

	/**
	 * Returns a new connection factory to the shared server, for a context that destroys
	 * its beans when it closes.
	 */
	public static LettuceConnectionFactory newConnectionFactory() {
		LettuceConnectionFactory shared = connectionFactory();
		return connect(shared.getHostName(), shared.getPort(), Duration.ofSeconds(10));
	}

	/**
	 * Returns a started connection factory with the given command and connect timeout.
	 */
	public static LettuceConnectionFactory connect(String host, int port, Duration timeout) {
		return LettuceFactories.standalone(host, port, timeout);
	}

	private static URI startPrivateServer() {
		int port = freePort();
		try {
			startEmbedded(port);
		}
		catch (IOException ex) {
			throw new IllegalStateException("PHONON_TEST_REDIS_URL is not set and the embedded Redis server did not"
					+ " start; set PHONON_TEST_REDIS_URL=redis://host:port to run the Redis tests", ex);
		}
		return URI.create("redis://127.0.0.1:" + port);
	}

	/**
	 * Starts an embedded-redis server (Redis 6.2) on loopback that keeps nothing on disk
	 * and stops with the JVM.
	 * @param port its port
	 * @param settings more {@code redis.conf} lines
	 */
	static void startEmbedded(int port, String... settings) throws IOException {
		RedisServerBuilder builder = RedisServer.newRedisServer()
			.port(port)
			.bind("127.0.0.1")
			.setting("save \"\"")
			.setting("appendonly no");
		for (String setting : settings) {
			builder.setting(setting);
		}
		RedisServer server = builder.build();
		server.start();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				server.stop();
			}
			catch (IOException ex) {
				// the JVM is going away
			}
		}));
	}

	/** Returns a TCP port nobody listens on now. */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
