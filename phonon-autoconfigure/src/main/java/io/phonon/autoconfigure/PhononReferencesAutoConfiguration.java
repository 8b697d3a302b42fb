package io.phonon.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.phonon.lock.LockService;
import io.phonon.reference.LastReleaseHandler;
import io.phonon.reference.ReferenceBackend;
import io.phonon.reference.References;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of {@link References}, where the chosen backend has a
 * {@link ReferenceBackend}. The bean starts this instance's session and heart-beats it,
 * with the application's {@link LastReleaseHandler} beans registered; closing the context
 * releases its references and ends the session.
 */
@AutoConfiguration(after = PhononAutoConfiguration.class)
@ConditionalOnBean(ReferenceBackend.class)
public final class PhononReferencesAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	References references(PhononProperties properties, ReferenceBackend referenceBackend, LockService lockService,
			ObjectProvider<MeterRegistry> meterRegistry, ObjectProvider<LastReleaseHandler> handlers) {
		References references = References.builder(referenceBackend, lockService)
			.heartbeatInterval(properties.getProcess().getHeartbeatInterval())
			.sessionTimeout(properties.getProcess().getSessionTimeout())
			.meterRegistry(properties.getMetrics().isEnabled() ? meterRegistry.getIfUnique() : null)
			.build();
		handlers.orderedStream().forEach((handler) -> references.onLastRelease(handler.pattern(), handler));
		return references;
	}

}
