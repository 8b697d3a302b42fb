package io.phonon.autoconfigure;

import io.phonon.actuate.PhononHealthIndicator;
import io.phonon.reference.ReferenceBackend;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code phonon} health indicator, switched off with
 * {@code management.health.phonon.enabled=false}.
 */
@AutoConfiguration(after = PhononAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(ReferenceBackend.class)
@ConditionalOnEnabledHealthIndicator("phonon")
public final class PhononHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "phononHealthIndicator")
	PhononHealthIndicator phononHealthIndicator(ReferenceBackend referenceBackend) {
		return new PhononHealthIndicator(referenceBackend);
	}

}
