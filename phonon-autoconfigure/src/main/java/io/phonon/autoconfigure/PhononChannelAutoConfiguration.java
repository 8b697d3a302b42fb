package io.phonon.autoconfigure;

import java.util.concurrent.Executor;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.phonon.channel.Coroutines;
import io.phonon.interceptor.AsyncChannelBeanPostProcessor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * Auto-configuration of channels' coroutines: {@link Coroutines} on the application's
 * task executor ({@code applicationTaskExecutor}, virtual threads when
 * {@code spring.threads.virtual.enabled=true}), and the {@code @AsyncChannel}
 * post-processor.
 */
@AutoConfiguration(after = { PhononAutoConfiguration.class, TaskExecutionAutoConfiguration.class })
public final class PhononChannelAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static AsyncChannelBeanPostProcessor asyncChannelBeanPostProcessor(Environment environment) {
		AsyncChannelBeanPostProcessor postProcessor = new AsyncChannelBeanPostProcessor();
		postProcessor
			.setProxyTargetClass(environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true));
		return postProcessor;
	}

	@Bean
	@ConditionalOnMissingBean
	Coroutines coroutines(PhononProperties properties,
			@Qualifier(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME) ObjectProvider<Executor> applicationTaskExecutor,
			ObjectProvider<MeterRegistry> meterRegistry, ObjectProvider<ObservationRegistry> observationRegistry,
			Environment environment) {
		Executor executor = applicationTaskExecutor.getIfAvailable(() -> {
			// No application executor: a thread per body, virtual where Spring Boot is
			// told to use them.
			SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor("phonon-coroutine-");
			threads.setVirtualThreads(environment.getProperty("spring.threads.virtual.enabled", Boolean.class, false));
			return threads;
		});
		return new Coroutines(executor, properties.getMetrics().isEnabled() ? meterRegistry.getIfUnique() : null,
				observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP));
	}

}
