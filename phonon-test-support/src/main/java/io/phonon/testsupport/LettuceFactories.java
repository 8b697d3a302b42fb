package io.phonon.testsupport;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;

import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Makes the tests' Lettuce connection factories. Apart from {@link TestRedis}, whose
 * {@code freePort()} tests without Spring Data Redis call too: they never load this.
 */
final class LettuceFactories {

	private LettuceFactories() {
	}

	/** Returns a started factory of one server, with the given timeouts. */
	static LettuceConnectionFactory standalone(String host, int port, Duration timeout) {
		return started(new RedisStandaloneConfiguration(host, port), connectTimeout(timeout), timeout);
	}

	/** Returns client options that connect within {@code timeout}. */
	static ClientOptions connectTimeout(Duration timeout) {
		return ClientOptions.builder().socketOptions(SocketOptions.builder().connectTimeout(timeout).build()).build();
	}

	/**
	 * Returns a started connection factory of any topology, with the given client options
	 * and command timeout.
	 */
	static LettuceConnectionFactory started(RedisConfiguration configuration, ClientOptions options, Duration timeout) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration,
				LettuceClientConfiguration.builder().commandTimeout(timeout).clientOptions(options).build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
