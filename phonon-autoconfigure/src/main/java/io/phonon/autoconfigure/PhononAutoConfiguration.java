package io.phonon.autoconfigure;

import java.util.function.BiFunction;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.phonon.JacksonJsonCodec;
import io.phonon.JsonCodec;
import io.phonon.backend.file.FileBackend;
import io.phonon.backend.jdbc.JdbcBackend;
import io.phonon.backend.memory.MemoryBackend;
import io.phonon.backend.redis.RedisBackend;
import io.phonon.atom.AtomBackend;
import io.phonon.dogpile.DogpileStore;
import io.phonon.interceptor.LockedBeanPostProcessor;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockService;
import io.phonon.reference.ReferenceBackend;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jdbc.EmbeddedDatabaseConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Auto-configuration of Phonon's locks: the backend chosen by {@code phonon.backend}, the
 * {@link LockService}, and the proxying of {@link io.phonon.annotation.Locked} methods. The
 * {@code redis} and {@code jdbc} backends use the application's {@code RedisConnectionFactory}
 * and {@code DataSource}, so it runs after Spring Boot's auto-configuration of those.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration" })
@EnableConfigurationProperties(PhononProperties.class)
public final class PhononAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static LockedBeanPostProcessor lockedBeanPostProcessor(Environment environment) {
		LockedBeanPostProcessor postProcessor = new LockedBeanPostProcessor();
		postProcessor
			.setProxyTargetClass(environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true));
		return postProcessor;
	}

	@Bean
	static DurationUnitsRequired phononDurationUnitsRequired() {
		return new DurationUnitsRequired();
	}

	// The properties come first so that a bad phonon.backend fails as a binding error naming the
	// valid values, before the missing backend bean would be reported.
	@Bean
	@ConditionalOnMissingBean
	LockService lockService(PhononProperties properties, LockBackend lockBackend,
			ObjectProvider<MeterRegistry> meterRegistry, ObjectProvider<ObservationRegistry> observationRegistry) {
		LockService.Builder builder = LockService.builder(lockBackend);
		try {
			builder.defaultLease(properties.getLock().getLease());
		}
		catch (IllegalArgumentException ex) {
			// Within the bounds checked at binding, but shorter than this engine can keep.
			throw new InvalidConfigurationPropertyValueException("phonon.lock.lease", properties.getLock().getLease(),
					ex.getMessage());
		}
		return builder.defaultWait(properties.getLock().getWait())
			.meterRegistry(properties.getMetrics().isEnabled() ? meterRegistry.getIfUnique() : null)
			.observationRegistry(observationRegistry.getIfUnique())
			.build();
	}

	/** Returns the one bean an engine needs, or fails the start-up saying how to provide it. */
	static <T> T unique(ObjectProvider<T> provider, String howToProvide) {
		T bean = provider.getIfUnique();
		if (bean == null) {
			throw new IllegalStateException(howToProvide);
		}
		return bean;
	}

	static String namespace(PhononProperties properties, Environment environment) {
		String namespace = properties.getNamespace();
		return (namespace != null) ? namespace : environment.getProperty("spring.application.name", "phonon");
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "phonon.backend", havingValue = "memory", matchIfMissing = true)
	static class MemoryBackendConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LockBackend lockBackend() {
			return MemoryBackend.locks();
		}

		@Bean
		@ConditionalOnMissingBean
		ReferenceBackend referenceBackend() {
			return MemoryBackend.references();
		}

		@Bean
		@ConditionalOnMissingBean
		DogpileStore dogpileStore() {
			return MemoryBackend.dogpiles();
		}

		@Bean
		@ConditionalOnMissingBean
		AtomBackend atomBackend() {
			return MemoryBackend.atoms();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "phonon.backend", havingValue = "file")
	static class FileBackendConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LockBackend lockBackend(PhononProperties properties, Environment environment) {
			return FileBackend.locks(properties.getFile().getDirectory(), namespace(properties, environment));
		}

		@Bean
		@ConditionalOnMissingBean
		ReferenceBackend referenceBackend(PhononProperties properties, Environment environment) {
			return FileBackend.references(properties.getFile().getDirectory(), namespace(properties, environment));
		}

		/** Dogpile values are per process on this backend: each process keeps its own. */
		@Bean
		@ConditionalOnMissingBean
		DogpileStore dogpileStore() {
			return MemoryBackend.dogpiles();
		}

		@Bean
		@ConditionalOnMissingBean
		AtomBackend atomBackend(PhononProperties properties, Environment environment) {
			return FileBackend.atoms(properties.getFile().getDirectory(), namespace(properties, environment));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "phonon.backend", havingValue = "redis")
	@ConditionalOnClass(RedisConnectionFactory.class)
	static class RedisBackendConfiguration {

		private static final String NEEDS_ONE_FACTORY = "phonon.backend=redis needs one RedisConnectionFactory"
				+ " bean, and there is none or more than one. Spring Boot creates it from spring.data.redis.* (host,"
				+ " port or url) when spring-boot-starter-data-redis is on the classpath";

		@Bean
		@ConditionalOnMissingBean
		LockBackend lockBackend(PhononProperties properties, Environment environment,
				ObjectProvider<RedisConnectionFactory> connectionFactory) {
			return engine(properties, environment, connectionFactory, RedisBackend::locks);
		}

		@Bean
		@ConditionalOnMissingBean
		ReferenceBackend referenceBackend(PhononProperties properties, Environment environment,
				ObjectProvider<RedisConnectionFactory> connectionFactory) {
			return engine(properties, environment, connectionFactory, RedisBackend::references);
		}

		@Bean
		@ConditionalOnMissingBean
		DogpileStore dogpileStore(PhononProperties properties, Environment environment,
				ObjectProvider<RedisConnectionFactory> connectionFactory) {
			return engine(properties, environment, connectionFactory, RedisBackend::dogpiles);
		}

		@Bean
		@ConditionalOnMissingBean
		AtomBackend atomBackend(PhononProperties properties, Environment environment,
				ObjectProvider<RedisConnectionFactory> connectionFactory) {
			return engine(properties, environment, connectionFactory, RedisBackend::atoms);
		}

		/** Makes one of the redis backend's engines, over the one connection factory. */
		private static <T> T engine(PhononProperties properties, Environment environment,
				ObjectProvider<RedisConnectionFactory> connectionFactory,
				BiFunction<RedisConnectionFactory, String, T> engine) {
			return engine.apply(unique(connectionFactory, NEEDS_ONE_FACTORY), namespace(properties, environment));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "phonon.backend", havingValue = "redis")
	@ConditionalOnMissingClass("org.springframework.data.redis.connection.RedisConnectionFactory")
	static class RedisMissingConfiguration {

		@Bean
		LockBackend lockBackend() {
			throw new IllegalStateException("phonon.backend=redis needs Spring Data Redis: add the dependency"
					+ " org.springframework.boot:spring-boot-starter-data-redis");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "phonon.backend", havingValue = "jdbc")
	@ConditionalOnClass(EmbeddedDatabaseConnection.class)
	static class JdbcBackendConfiguration {

		private static final String NEEDS_DATA_SOURCE = "phonon.backend=jdbc needs one DataSource bean, and there is"
				+ " none or more than one. Spring Boot creates it from spring.datasource.* when"
				+ " spring-boot-starter-jdbc and a JDBC driver are on the classpath";

		@Bean
		@ConditionalOnMissingBean
		JdbcMaintenancePool phononJdbcMaintenancePool(PhononProperties properties, ObjectProvider<DataSource> dataSource) {
			return JdbcMaintenancePool.over(unique(dataSource, NEEDS_DATA_SOURCE),
					properties.getJdbc().getMaintenancePoolSize());
		}

		@Bean
		@ConditionalOnMissingBean
		LockBackend lockBackend(PhononProperties properties, Environment environment,
				ObjectProvider<DataSource> dataSource, JdbcMaintenancePool maintenance) {
			return engine(properties, environment, dataSource, (database, namespace, prefix, initialize) -> JdbcBackend
				.locks(database, maintenance.dataSource(), namespace, prefix, initialize));
		}

		@Bean
		@ConditionalOnMissingBean
		ReferenceBackend referenceBackend(PhononProperties properties, Environment environment,
				ObjectProvider<DataSource> dataSource, JdbcMaintenancePool maintenance) {
			return engine(properties, environment, dataSource, (database, namespace, prefix, initialize) -> JdbcBackend
				.references(database, maintenance.dataSource(), namespace, prefix, initialize));
		}

		@Bean
		@ConditionalOnMissingBean
		DogpileStore dogpileStore(PhononProperties properties, Environment environment,
				ObjectProvider<DataSource> dataSource) {
			return engine(properties, environment, dataSource, JdbcBackend::dogpiles);
		}

		@Bean
		@ConditionalOnMissingBean
		AtomBackend atomBackend(PhononProperties properties, Environment environment,
				ObjectProvider<DataSource> dataSource) {
			return engine(properties, environment, dataSource, JdbcBackend::atoms);
		}

		/** Makes one of the jdbc backend's engines, over the one DataSource, as the properties say. */
		private static <T> T engine(PhononProperties properties, Environment environment,
				ObjectProvider<DataSource> dataSource, JdbcEngine<T> engine) {
			DataSource database = unique(dataSource, NEEDS_DATA_SOURCE);
			return engine.create(database, namespace(properties, environment), properties.getJdbc().getTablePrefix(),
					initializeSchema(properties, database));
		}

		private static boolean initializeSchema(PhononProperties properties, DataSource database) {
			return switch (properties.getJdbc().getInitializeSchema()) {
				case ALWAYS -> true;
				case EMBEDDED -> EmbeddedDatabaseConnection.isEmbedded(database);
				case NEVER -> false;
			};
		}

		/** The shape of {@link JdbcBackend}'s factories. */
		@FunctionalInterface
		private interface JdbcEngine<T> {

			T create(DataSource dataSource, String namespace, String tablePrefix, boolean initializeSchema);

		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "phonon.backend", havingValue = "jdbc")
	@ConditionalOnMissingClass("org.springframework.boot.jdbc.EmbeddedDatabaseConnection")
	static class JdbcMissingConfiguration {

		@Bean
		LockBackend lockBackend() {
			throw new IllegalStateException("phonon.backend=jdbc needs Spring JDBC: add the dependency"
					+ " org.springframework.boot:spring-boot-starter-jdbc and a JDBC driver");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JsonMapper.class)
	static class JsonCodecConfiguration {

		@Bean
		@ConditionalOnMissingBean
		JsonCodec jsonCodec(ObjectProvider<JsonMapper> jsonMapper) {
			return new JacksonJsonCodec(jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()));
		}

	}

}
