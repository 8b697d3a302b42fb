package io.phonon.autoconfigure;

import java.util.List;
import java.util.stream.Stream;

import io.phonon.Stoppable;
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
 * {@link PhononLifecycle} that stops the lock service, the references and the shared
 * atoms, in that order, after the web server and the executors and before the connection
 * factory or {@code DataSource} they use.
 */
@AutoConfiguration(after = { PhononAutoConfiguration.class, PhononReferencesAutoConfiguration.class,
		PhononAtomAutoConfiguration.class, PhononDogpileAutoConfiguration.class })
public final class PhononLifecycleAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PhononLifecycle phononLifecycle(PhononProperties properties, ObjectProvider<LockService> lockService,
			ObjectProvider<References> references, ObjectProvider<Atoms> atoms, ObjectProvider<LockBackend> locks,
			ObjectProvider<ReferenceBackend> referenceEngine, ObjectProvider<AtomBackend> atomEngine,
			ObjectProvider<DogpileStore<?>> dogpileStore) {
		return new PhononLifecycle(present(Stoppable.class, lockService, references, atoms),
				present(AutoCloseable.class, locks, referenceEngine, atomEngine, dogpileStore),
				properties.getShutdown().getGracePeriod());
	}

	/**
	 * The beans of {@code providers} that there are and that are of {@code type}, in
	 * order.
	 */
	private static <T> List<T> present(Class<T> type, ObjectProvider<?>... providers) {
		return Stream.of(providers).map(ObjectProvider::getIfUnique).filter(type::isInstance).map(type::cast).toList();
	}

}
