package io.phonon.autoconfigure;

import io.phonon.bridge.shedlock.PhononLockProvider;
import io.phonon.lock.LockService;
import net.javacrumbs.shedlock.core.LockProvider;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of ShedLock on Phonon: where ShedLock is on the class path and the
 * application defines no {@link LockProvider} of its own, {@code @SchedulerLock} runs on
 * {@link PhononLockProvider}.
 */
@AutoConfiguration(after = PhononAutoConfiguration.class)
@ConditionalOnClass(LockProvider.class)
@ConditionalOnBean(LockService.class)
public final class PhononShedLockAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(LockProvider.class)
	PhononLockProvider phononLockProvider(LockService lockService) {
		return new PhononLockProvider(lockService);
	}

}
