package io.phonon.backend.redis;

import io.phonon.atom.AtomBackend;
import io.phonon.dogpile.DogpileStore;
import io.phonon.lock.LockBackend;
import io.phonon.reference.ReferenceBackend;

import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Creates the {@code redis} backend's engines.
 */
public final class RedisBackend {

	/**
	 * The backend's name, as in {@code phonon.backend} and the meters' {@code backend}
	 * tag.
	 */
	public static final String NAME = "redis";

	private RedisBackend() {
	}

	/**
	 * Creates a lock engine on Redis. Keys are {@code <namespace>:lock:{<digest>}:l:<id>}
	 * (and {@code :f:<id>} for the fencing counter): the hash tag is a digest of the id,
	 * so that any id keeps a script's keys in one Redis Cluster slot; braces in the
	 * namespace are percent-encoded. Releases are announced on the channel
	 * {@code <namespace>:lock:released}.
	 * @param connectionFactory the application's connection factory
	 * @param namespace the application's namespace
	 * @return a new lock backend; close it to end its subscription
	 */
	public static LockBackend locks(RedisConnectionFactory connectionFactory, String namespace) {
		return locks(connectionFactory, namespace, ReplicaAcks.NONE);
	}

	/**
	 * Creates a lock engine on Redis, as {@link #locks(RedisConnectionFactory, String)},
	 * whose acquisitions and renewals count only once {@code acks} replicas confirm them:
	 * a Sentinel or Cluster failover to one of them then keeps the lock and its fencing
	 * counter (docs/guarantees.md says what this does and does not promise).
	 * @param connectionFactory the application's connection factory
	 * @param namespace the application's namespace
	 * @param acks how many replicas must confirm, and how long to wait for them
	 * @return a new lock backend; close it to end its subscription
	 * @throws IllegalArgumentException if replicas must confirm and the factory is not a
	 * {@code LettuceConnectionFactory}: only Lettuce lets Phonon wait on the connection
	 * that wrote
	 */
	public static LockBackend locks(RedisConnectionFactory connectionFactory, String namespace, ReplicaAcks acks) {
		return new RedisLockBackend(connectionFactory, namespace, RedisLockBackend.FENCE_RETENTION, acks);
	}

	/**
	 * Creates a shared-atom engine on Redis: each compare-and-set one script, changes
	 * announced on {@code <namespace>:atom:changed} and kept in a stream per atom.
	 * @param connectionFactory the application's connection factory
	 * @param namespace the application's namespace
	 * @return a new atom backend
	 */
	public static AtomBackend atoms(RedisConnectionFactory connectionFactory, String namespace) {
		return new RedisAtomBackend(connectionFactory, namespace);
	}

	/**
	 * Creates a dogpile store on Redis: values shared by the cluster, encoded, fresh
	 * while Redis's clock says so. A cache's keys share a hash tag, a digest of the
	 * cache's name.
	 * @param connectionFactory the application's connection factory
	 * @param namespace the application's namespace
	 * @return a new dogpile store
	 */
	public static DogpileStore<String> dogpiles(RedisConnectionFactory connectionFactory, String namespace) {
		return new RedisDogpileStore(connectionFactory, namespace);
	}

	/**
	 * Creates a reference engine on Redis: every step one Lua script, Redis's clock, all
	 * keys of a namespace in one Redis Cluster slot ({@code <namespace>:ref:{<digest of
	 * the namespace>}:...}).
	 * @param connectionFactory the application's connection factory
	 * @param namespace the application's namespace
	 * @return a new reference backend
	 */
	public static ReferenceBackend references(RedisConnectionFactory connectionFactory, String namespace) {
		return new RedisReferenceBackend(connectionFactory, namespace);
	}

}
