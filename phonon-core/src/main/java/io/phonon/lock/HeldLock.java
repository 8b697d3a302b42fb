package io.phonon.lock;

import java.time.Instant;

/**
 * A lock this instance holds now, as {@link LockService#held()} and the {@code phonon}
 * actuator endpoint show it.
 *
 * @param id the lock id
 * @param token the fencing token of this acquisition
 * @param since when it was acquired, on this machine's wall clock
 * @param expiresAt when its lease expires unless it is renewed or extended
 */
public record HeldLock(String id, long token, Instant since, Instant expiresAt) {
}
