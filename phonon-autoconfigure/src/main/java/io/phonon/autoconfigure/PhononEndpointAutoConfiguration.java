package io.phonon.autoconfigure;

import io.phonon.actuate.PhononEndpoint;
import io.phonon.atom.Atoms;
import io.phonon.dogpile.Dogpiles;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockService;
import io.phonon.reference.References;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code phonon} actuator endpoint, when the actuator is
 * present and the endpoint is enabled and exposed
 * ({@code management.endpoints.web.exposure.include}).
 */
@AutoConfiguration(after = { PhononAutoConfiguration.class, PhononReferencesAutoConfiguration.class,
		PhononDogpileAutoConfiguration.class, PhononAtomAutoConfiguration.class })
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean({ LockBackend.class, LockService.class })
@ConditionalOnAvailableEndpoint(PhononEndpoint.class)
public final class PhononEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PhononEndpoint phononEndpoint(LockBackend lockBackend, LockService lockService,
			ObjectProvider<References> references, ObjectProvider<Dogpiles> dogpiles, ObjectProvider<Atoms> atoms) {
		return new PhononEndpoint(lockBackend, lockService, references.getIfAvailable(), dogpiles.getIfAvailable(),
				atoms.getIfAvailable());
	}

}
