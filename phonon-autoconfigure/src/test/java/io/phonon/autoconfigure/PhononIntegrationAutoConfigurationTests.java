package io.phonon.autoconfigure;

import java.util.concurrent.locks.Lock;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phonon.bridge.integration.PhononLockRegistry;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.integration.support.locks.DefaultLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;

import static org.assertj.core.api.Assertions.assertThat;

class PhononIntegrationAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(PhononAutoConfiguration.class, PhononIntegrationAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	@Test
	void theLockRegistryRunsOnPhononUnderTheIntegrationKey() {
		this.runner.run((context) -> {
			LockRegistry<?> registry = context.getBean(LockRegistry.class);
			assertThat(registry).isInstanceOf(PhononLockRegistry.class);
			Lock lock = registry.obtain("order-42");
			lock.lock();
			try {
				assertThat(
						context.getBean(LockService.class).tryAcquire("integration:order-42", LockOptions.defaults()))
					.as("the Phonon lock id")
					.isEmpty();
			}
			finally {
				lock.unlock();
			}
			assertThat(context.getBean(MeterRegistry.class)
				.get("phonon.lock.acquire")
				.tags("name", "integration", "outcome", "acquired")
				.timer()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void backsOffForTheApplicationsOwnLockRegistry() {
		this.runner.withBean(LockRegistry.class, DefaultLockRegistry::new)
			.run((context) -> assertThat(context).doesNotHaveBean(PhononLockRegistry.class)
				.getBean(LockRegistry.class)
				.isInstanceOf(DefaultLockRegistry.class));
	}

	@Test
	void backsOffWithoutSpringIntegration() {
		this.runner.withClassLoader(new FilteredClassLoader(LockRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(PhononLockRegistry.class));
	}

}
