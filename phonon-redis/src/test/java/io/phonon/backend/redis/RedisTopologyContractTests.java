package io.phonon.backend.redis;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

import io.phonon.atom.AtomBackend;
import io.phonon.atom.AtomContractTests;
import io.phonon.dogpile.DogpileContractTests;
import io.phonon.dogpile.DogpileStore;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockContractTests;
import io.phonon.reference.ReferenceBackend;
import io.phonon.reference.ReferenceContractTests;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every engine contract on a topology other than one server, through Spring Data Redis's
 * own configuration of it ({@code spring.data.redis.cluster.*} or
 * {@code spring.data.redis.sentinel.*}), and ids and namespaces whose braces would
 * scatter a script's keys across Redis Cluster slots if they went into the hash tag raw.
 */
abstract class RedisTopologyContractTests {

	/** Returns the topology's shared connection factory. */
	abstract RedisConnectionFactory connectionFactory();

	@Test
	void idsAndNamespacesWithBracesKeepEachScriptInOneSlot() {
		for (String namespace : List.of("{}app", "app-" + UUID.randomUUID())) {
			try (LockBackend locks = RedisBackend.locks(connectionFactory(), namespace)) {
				for (String id : List.of("}", "}x", "{x}", "a}b", "{", "{}", "x{y}z")) {
					OptionalLong first = locks.tryAcquire(id, "a", Duration.ofMinutes(1));
					assertThat(first).as(namespace + " / " + id).isPresent();
					assertThat(locks.tryAcquire(id, "b", Duration.ofMinutes(1))).isEmpty();
					assertThat(locks.renew(id, "a", Duration.ofMinutes(1))).isTrue();
					assertThat(locks.release(id, "a")).isTrue();
					assertThat(locks.tryAcquire(id, "b", Duration.ofMinutes(1)).getAsLong())
						.isGreaterThan(first.getAsLong());
					assertThat(locks.release(id, "b")).isTrue();
				}
			}
		}
	}

	@Nested
	class Locks extends LockContractTests {

		@Override
		protected LockBackend createBackend() {
			return RedisBackend.locks(connectionFactory(), "{}cluster-" + UUID.randomUUID());
		}

	}

	@Nested
	class References extends ReferenceContractTests {

		@Override
		protected ReferenceBackend createEngine() {
			return RedisBackend.references(connectionFactory(), "{}cluster-" + UUID.randomUUID());
		}

	}

	@Nested
	class Dogpiles extends DogpileContractTests {

		@Override
		protected DogpileStore<?> createStore(String namespace) {
			return RedisBackend.dogpiles(connectionFactory(), "{}" + namespace);
		}

		@Override
		protected LockBackend createLocks(String namespace) {
			return RedisBackend.locks(connectionFactory(), "{}" + namespace);
		}

	}

	@Nested
	class Atoms extends AtomContractTests {

		@Override
		protected AtomBackend createEngine(String namespace) {
			return RedisBackend.atoms(connectionFactory(), "{}" + namespace);
		}

	}

}
