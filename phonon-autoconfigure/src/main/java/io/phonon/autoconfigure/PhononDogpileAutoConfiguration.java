package io.phonon.autoconfigure;

import java.util.concurrent.Executor;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.phonon.JsonCodec;
import io.phonon.dogpile.DogpileOptions;
import io.phonon.dogpile.DogpileStore;
import io.phonon.dogpile.Dogpiles;
import io.phonon.interceptor.DogpileBeanPostProcessor;
import io.phonon.lock.LockService;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of dogpile caches: the {@link Dogpiles} bean over the backend's
 * {@link DogpileStore}, and the {@code @Dogpile} post-processor. Background regenerations
 * run on the application's task executor where Spring Boot made one, else on the caches'
 * own bounded pool. Shared stores encode values with the {@link JsonCodec} bean (the
 * application's Jackson mapper). Regeneration locks are the application's
 * {@link LockService}, cluster-wide, where values are shared; where they are per process
 * (memory, file) they are this JVM's.
 */
@AutoConfiguration(after = PhononAutoConfiguration.class)
@ConditionalOnBean(DogpileStore.class)
public final class PhononDogpileAutoConfiguration {

	/**
	 * Spring Boot's task executor, where background regenerations run when there is one.
	 */
	static final String APPLICATION_TASK_EXECUTOR = "applicationTaskExecutor";

	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static DogpileBeanPostProcessor dogpileBeanPostProcessor(Environment environment) {
		DogpileBeanPostProcessor postProcessor = new DogpileBeanPostProcessor();
		postProcessor
			.setProxyTargetClass(environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true));
		return postProcessor;
	}

	@Bean
	@ConditionalOnMissingBean
	Dogpiles dogpiles(PhononProperties properties, DogpileStore<?> dogpileStore, LockService lockService,
			ObjectProvider<JsonCodec> codec, ObjectProvider<MeterRegistry> meterRegistry,
			ObjectProvider<ObservationRegistry> observationRegistry,
			@Qualifier(APPLICATION_TASK_EXECUTOR) ObjectProvider<Executor> applicationTaskExecutor) {
		MeterRegistry registry = properties.getMetrics().isEnabled() ? meterRegistry.getIfUnique() : null;
		return Dogpiles.builder(dogpileStore, dogpileStore.shared() ? lockService : null)
			.defaults(DogpileOptions.expireAfter(properties.getDogpile().getExpireAfter()))
			.codec(codec.getIfAvailable())
			.executor(applicationTaskExecutor.getIfAvailable())
			.meterRegistry(registry)
			.observationRegistry(observationRegistry.getIfUnique())
			.build();
	}

}
