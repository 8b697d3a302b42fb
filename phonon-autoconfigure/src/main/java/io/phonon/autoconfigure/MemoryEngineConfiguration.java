package io.phonon.autoconfigure;

import io.phonon.backend.memory.MemoryBackend;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code memory} backend, the default: the threads of one process. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "phonon.backend", havingValue = "memory", matchIfMissing = true)
final class MemoryEngineConfiguration {

	@Bean
	PhononEngine phononEngine() {
		return new PhononEngine(MemoryBackend.NAME, MemoryBackend::locks, MemoryBackend::references,
				MemoryBackend::dogpiles, MemoryBackend::atoms);
	}

}
