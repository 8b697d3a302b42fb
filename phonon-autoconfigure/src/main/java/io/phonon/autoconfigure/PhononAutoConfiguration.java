package io.phonon.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.phonon.JacksonJsonCodec;
import io.phonon.JsonCodec;
import io.phonon.atom.AtomBackend;
import io.phonon.dogpile.DogpileStore;
import io.phonon.interceptor.LockedBeanPostProcessor;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockService;
import io.phonon.lock.ReactiveLockService;
import io.phonon.reference.ReferenceBackend;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of Phonon's locks: the backend chosen by {@code phonon.backend}, the
 * {@link LockService}, and the proxying of {@link io.phonon.annotation.Locked} methods.
 * The {@code redis} and {@code jdbc} backends use the application's
 * {@code RedisConnectionFactory} and {@code DataSource}, so it runs after Spring Boot's
 * auto-configuration of those.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration" })
@EnableConfigurationProperties(PhononProperties.class)
@Import({ MemoryEngineConfiguration.class, FileEngineConfiguration.class, RedisEngineConfiguration.class,
		JdbcEngineConfiguration.class, PhononAutoConfiguration.ReactiveLockConfiguration.class,
		PhononAutoConfiguration.JsonCodecConfiguration.class })
public final class PhononAutoConfiguration implements BeanClassLoaderAware {

	private ClassLoader classLoader = PhononAutoConfiguration.class.getClassLoader();

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

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

	// The properties come first so that a bad phonon.backend fails as a binding error
	// naming the valid values, before the missing backend bean would be reported.
	@Bean
	@ConditionalOnMissingBean
	LockService lockService(PhononProperties properties, LockBackend lockBackend,
			ObjectProvider<MeterRegistry> meterRegistry, ObjectProvider<ObservationRegistry> observationRegistry) {
		LockService.Builder builder = LockService.builder(lockBackend);
		try {
			builder.defaultLease(properties.getLock().getLease());
		}
		catch (IllegalArgumentException ex) {
			// Within the bounds checked at binding, but shorter than this engine can
			// keep.
			throw new InvalidConfigurationPropertyValueException("phonon.lock.lease", properties.getLock().getLease(),
					ex.getMessage());
		}
		return builder.defaultWait(properties.getLock().getWait())
			.localHandOffs(properties.getLock().getLocalHandOffs())
			.meterRegistry(properties.getMetrics().isEnabled() ? meterRegistry.getIfUnique() : null)
			.observationRegistry(observationRegistry.getIfUnique())
			.build();
	}

	@Bean
	@ConditionalOnMissingBean
	LockBackend lockBackend(PhononProperties properties, ObjectProvider<PhononEngine> engine) {
		return engine(properties, engine).locks().get();
	}

	@Bean
	@ConditionalOnMissingBean
	ReferenceBackend referenceBackend(PhononProperties properties, ObjectProvider<PhononEngine> engine) {
		return engine(properties, engine).references().get();
	}

	@Bean
	@ConditionalOnMissingBean
	DogpileStore<?> dogpileStore(PhononProperties properties, ObjectProvider<PhononEngine> engine) {
		return engine(properties, engine).dogpiles().get();
	}

	@Bean
	@ConditionalOnMissingBean
	AtomBackend atomBackend(PhononProperties properties, ObjectProvider<PhononEngine> engine) {
		return engine(properties, engine).atoms().get();
	}

	/**
	 * Returns the engine configuration of the chosen backend, or fails the start-up with
	 * what that backend needs ({@link PhononEngineUnavailableFailureAnalyzer} explains
	 * it).
	 */
	private PhononEngine engine(PhononProperties properties, ObjectProvider<PhononEngine> engine) {
		return engine.getIfAvailable(() -> {
			throw new PhononEngineUnavailableException(properties.getBackend(), this.classLoader);
		});
	}

	static String namespace(PhononProperties properties, Environment environment) {
		String namespace = properties.getNamespace();
		return (namespace != null) ? namespace : environment.getProperty("spring.application.name", "phonon");
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Mono.class)
	static class ReactiveLockConfiguration {

		// Made on first use: an application that replaced the LockService with one of its
		// own, which this service cannot work over, starts as long as it locks no
		// reactive section.
		@Bean
		@Lazy
		@ConditionalOnMissingBean
		ReactiveLockService reactiveLockService(LockService lockService, PhononProperties properties) {
			return ReactiveLockService.of(lockService, properties.getLock().getReactiveThreads());
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
