package io.phonon.backend.redis;

import java.time.Duration;

/**
 * How many replicas must confirm a lock's write before the lock engine reports it: an
 * acquisition (with its new fencing token) or a renewal counts only once {@code WAIT} (or
 * {@code WAITAOF}, where the server has it and keeps an append-only file) says that
 * {@code replicas} replicas have it, within {@code timeout}. A shortfall is an engine
 * failure, never a held lock.
 *
 * @param replicas how many replicas must confirm, zero for none (Redis's own asynchronous
 * replication)
 * @param timeout how long to wait for them; positive when {@code replicas} is
 * @see <a href="https://redis.io/docs/latest/commands/wait/">WAIT</a>
 */
public record ReplicaAcks(int replicas, Duration timeout) {

	/** No confirmation: a write counts once the master has it. */
	public static final ReplicaAcks NONE = new ReplicaAcks(0, Duration.ZERO);

	public ReplicaAcks {
		if (replicas < 0) {
			throw new IllegalArgumentException("replicas must be zero (no confirmation) or positive, was " + replicas);
		}
		if (replicas > 0 && (timeout.isNegative() || timeout.isZero())) {
			throw new IllegalArgumentException("timeout must be positive when " + replicas
					+ " replicas must confirm (WAIT 0 waits for ever), was " + timeout);
		}
	}

	/** Whether any replica must confirm. */
	boolean required() {
		return this.replicas > 0;
	}

}
