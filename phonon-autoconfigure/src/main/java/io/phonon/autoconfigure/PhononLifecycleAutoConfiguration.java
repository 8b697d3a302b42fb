package io.phonon.autoconfigure;

import java.util.List;
import java.util.stream.Stream;

import io.phonon.atom.AtomBackend;
import io.phonon.atom.Atoms;
import io.phonon.dogpile.DogpileStore;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockService;
import io.phonon.reference.ReferenceBackend;
import io.phonon.reference.References;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of Phonon's part in the application's lifecycle: one
 * {@link PhononLifecycle} that stops the lock service, the references and the shared atoms,
 * in that order, after the web server and the executors and before the connection factory or
 * {@code DataSource} they use.
 */
@AutoConfiguration(after = { PhononAutoConfiguration.class, PhononReferencesAutoConfiguration.class,
		PhononAtomAutoConfiguration.class, PhononDogpileAutoConfiguration.class })
public final class PhononLifecycleAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PhononLifecycle phononLifecycle(PhononProperties properties, ObjectProvider<LockService> lockService,
			ObjectProvider<References> references, ObjectProvider<Atoms> atoms, ObjectProvider<LockBackend> locks,
			ObjectProvider<ReferenceBackend> referenceEngine, ObjectProvider<AtomBackend> atomEngine,
			ObjectProvider<DogpileStore> dogpileStore) {
		List<Object> services = Stream.of(lockService, references, atoms)
			.map(ObjectProvider::getIfUnique)
			.filter((service) -> service != null)
			.map(Object.class::cast)
			.toList();
		List<Object> engines = Stream.of(locks, referenceEngine, atomEngine, dogpileStore)
			.map(ObjectProvider::getIfUnique)
			.filter((engine) -> engine != null)
			.map(Object.class::cast)
			.toList();
		return new PhononLifecycle(services, engines, properties.getShutdown().getGracePeriod());
	}

}
