package io.phonon.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.phonon.JsonCodec;
import io.phonon.atom.AtomBackend;
import io.phonon.atom.Atoms;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of shared atoms: the {@link Atoms} bean over the backend's
 * {@link AtomBackend}, values as JSON through the {@link JsonCodec} bean (the
 * application's Jackson mapper, so Jackson must be on the class path).
 */
@AutoConfiguration(after = PhononAutoConfiguration.class)
@ConditionalOnBean({ AtomBackend.class, JsonCodec.class })
public final class PhononAtomAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Atoms atoms(PhononProperties properties, AtomBackend atomBackend, JsonCodec codec,
			ObjectProvider<MeterRegistry> meterRegistry) {
		return Atoms.builder(atomBackend, codec)
			.meterRegistry(properties.getMetrics().isEnabled() ? meterRegistry.getIfUnique() : null)
			.build();
	}

}
