package io.phonon.autoconfigure;

import io.phonon.bridge.integration.PhononLockRegistry;
import io.phonon.lock.LockService;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * Auto-configuration of Spring Integration on Phonon: where Spring Integration is on the
 * class path and the application defines no {@link LockRegistry} of its own, a
 * {@link PhononLockRegistry} with the registry key {@value #REGISTRY_KEY} serves its
 * lock-based components.
 */
@AutoConfiguration(after = PhononAutoConfiguration.class)
@ConditionalOnClass(LockRegistry.class)
@ConditionalOnBean(LockService.class)
public final class PhononIntegrationAutoConfiguration {

	/**
	 * The registry key of the auto-configured registry: the prefix of its lock ids and
	 * its meter name.
	 */
	public static final String REGISTRY_KEY = "integration";

	@Bean
	@ConditionalOnMissingBean(LockRegistry.class)
	PhononLockRegistry phononLockRegistry(LockService lockService) {
		return new PhononLockRegistry(lockService, REGISTRY_KEY);
	}

}
