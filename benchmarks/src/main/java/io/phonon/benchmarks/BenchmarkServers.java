package io.phonon.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import redis.embedded.RedisServer;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The servers the engine benchmarks share. Redis: a private embedded-redis server started
 * for the run (or {@code PHONON_BENCH_REDIS_URL}); PostgreSQL:
 * {@code PHONON_BENCH_POSTGRES_URL}, by default this machine's server.
 */
final class BenchmarkServers {

	/**
	 * The properties of a benchmark's Spring application: quiet, and with no DataSource
	 * (the JDBC starter is on the class path for the JDBC benchmarks, which make their
	 * own).
	 */
	static final String[] APPLICATION_PROPERTIES = { "spring.main.banner-mode=off", "logging.level.root=warn",
			"spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" };

	private BenchmarkServers() {
	}

	/**
	 * Returns a started Spring Data Redis (Lettuce) connection factory to {@code redis}.
	 */
	static LettuceConnectionFactory connectionFactory(URI redis) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redis.getHost(), redis.getPort()));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/**
	 * Returns a Redisson client of {@code redis}, the peer's default single-server setup.
	 */
	static RedissonClient redisson(URI redis) {
		Config config = new Config();
		config.useSingleServer().setAddress("redis://" + redis.getHost() + ":" + redis.getPort());
		return Redisson.create(config);
	}

	/** Returns the Redis URI to use, starting a private server when none is named. */
	static URI redis() throws IOException {
		String url = System.getenv("PHONON_BENCH_REDIS_URL");
		if (url != null && !url.isBlank()) {
			return URI.create(url);
		}
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		RedisServer server = RedisServer.newRedisServer()
			.port(port)
			.bind("127.0.0.1")
			.setting("save \"\"")
			.setting("appendonly no")
			.build();
		server.start();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				server.stop();
			}
			catch (IOException ex) {
				// the JVM is going away
			}
		}));
		return URI.create("redis://127.0.0.1:" + port);
	}

	static String postgres() {
		String url = System.getenv("PHONON_BENCH_POSTGRES_URL");
		return (url != null && !url.isBlank()) ? url : "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
	}

}
