package io.phonon.autoconfigure;

import io.phonon.backend.redis.RedisBackend;
import io.phonon.backend.redis.ReplicaAcks;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The {@code redis} backend, over the application's {@link RedisConnectionFactory}: a
 * single server, Sentinel or Redis Cluster, as {@code spring.data.redis.*} configures it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "phonon.backend", havingValue = "redis")
@ConditionalOnClass({ RedisBackend.class, RedisConnectionFactory.class })
@ConditionalOnSingleCandidate(RedisConnectionFactory.class)
final class RedisEngineConfiguration {

	@Bean
	PhononEngine phononEngine(PhononProperties properties, Environment environment,
			RedisConnectionFactory connectionFactory) {
		String namespace = PhononAutoConfiguration.namespace(properties, environment);
		ReplicaAcks acks = (properties.getRedis().getReplicaAcks() > 0)
				? new ReplicaAcks(properties.getRedis().getReplicaAcks(), properties.getRedis().getReplicaAckTimeout())
				: ReplicaAcks.NONE;
		return new PhononEngine(RedisBackend.NAME, () -> RedisBackend.locks(connectionFactory, namespace, acks),
				() -> RedisBackend.references(connectionFactory, namespace),
				() -> RedisBackend.dogpiles(connectionFactory, namespace),
				() -> RedisBackend.atoms(connectionFactory, namespace));
	}

}
