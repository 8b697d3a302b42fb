package io.phonon.autoconfigure;

import java.nio.file.Path;

import io.phonon.backend.file.FileBackend;
import io.phonon.backend.memory.MemoryBackend;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The {@code file} backend: the processes of one host, on files in
 * {@code phonon.file.directory}. Dogpile values stay per process on it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "phonon.backend", havingValue = "file")
@ConditionalOnClass(FileBackend.class)
final class FileEngineConfiguration {

	@Bean
	PhononEngine phononEngine(PhononProperties properties, Environment environment) {
		Path directory = properties.getFile().getDirectory();
		String namespace = PhononAutoConfiguration.namespace(properties, environment);
		return new PhononEngine(FileBackend.NAME, () -> FileBackend.locks(directory, namespace),
				() -> FileBackend.references(directory, namespace), MemoryBackend::dogpiles,
				() -> FileBackend.atoms(directory, namespace));
	}

}
