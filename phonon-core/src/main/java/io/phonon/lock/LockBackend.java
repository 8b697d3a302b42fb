package io.phonon.lock;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;

/**
 * The engine side of locks: what a backend (memory, file, Redis, JDBC) implements. The
 * {@link LockService} above it adds waiting, re-entrancy, renewal and meters, so a
 * backend only answers single, atomic requests.
 * <p>
 * Rules every implementation keeps: expiry is measured by the engine's clock; renew and
 * release are owner-checked; each acquisition of an id gets a fencing token strictly
 * greater than every earlier one of that id; engine failures are thrown as
 * {@link io.phonon.PhononBackendException}.
 */
public interface LockBackend extends AutoCloseable {

	/**
	 * Returns the backend's name, used as the {@code backend} tag of meters.
	 * @return the name, such as {@code memory}
	 */
	String name();

	/**
	 * Takes the lock {@code id} for {@code owner} if it is free or expired. If
	 * {@code owner} already holds it, renews it and answers its current token (so a
	 * retried request is harmless).
	 * @param id the lock id
	 * @param owner the owner token, unique per acquisition
	 * @param lease how long the lock is held before it expires by itself
	 * @return the fencing token if taken, or empty if another owner holds it
	 */
	OptionalLong tryAcquire(String id, String owner, Duration lease);

	/**
	 * Makes the lock expire {@code lease} from now if {@code owner} still holds it.
	 * @param id the lock id
	 * @param owner the owner token
	 * @param lease the new time to live
	 * @return {@code true} if renewed; {@code false} if the lock expired or belongs to
	 * another owner
	 */
	boolean renew(String id, String owner, Duration lease);

	/**
	 * Renews several locks, each as {@link #renew} would, in as few engine steps as the
	 * engine can: the lock service hands over the renewals that fall due together. The
	 * default renews them one by one.
	 * @param renewals what to renew
	 * @return for each renewal, in order, whether it was renewed
	 * @throws io.phonon.PhononBackendException if the engine fails; then none counts as
	 * renewed
	 */
	default boolean[] renewAll(List<Renewal> renewals) {
		boolean[] renewed = new boolean[renewals.size()];
		for (int i = 0; i < renewed.length; i++) {
			Renewal renewal = renewals.get(i);
			renewed[i] = renew(renewal.id(), renewal.owner(), renewal.lease());
		}
		return renewed;
	}

	/**
	 * Returns how many renewals {@link #renewAll} takes in one engine step. The lock
	 * service hands over batches of at most this size; with the default, one, each lease
	 * is renewed on its own, so a renewal that hangs holds up no other lease. An engine
	 * that overrides {@link #renewAll} with a real batch says how large one may be; a
	 * batch that hangs then holds up its leases together.
	 * @return the largest batch worth sending, at least one
	 */
	default int renewalBatchSize() {
		return 1;
	}

	/**
	 * Releases the lock if {@code owner} holds it, and wakes the waiters.
	 * @param id the lock id
	 * @param owner the owner token
	 * @return {@code true} if {@code owner} held it unexpired; {@code false} otherwise
	 */
	boolean release(String id, String owner);

	/**
	 * Whether {@link #handOver} is one step of this engine. The lock service hands a lock
	 * straight to a waiting thread of this process only then; otherwise it releases the
	 * lock and the waiter acquires it. The default is {@code false}.
	 * @return whether the engine hands locks over
	 */
	default boolean handsOver() {
		return false;
	}

	/**
	 * Hands the lock that {@code owner} holds to {@code nextOwner}, a waiting thread of
	 * this process, in one step that never frees it: checks that {@code owner} holds it,
	 * takes a new fencing token (greater than every one before, as an acquisition does)
	 * and makes {@code nextOwner} the holder for {@code lease}. Other processes are not
	 * told, for nothing was released. It wakes this process's waiters for the id, as
	 * {@link #release} does, so that the next owner finds the lock held. Called only
	 * where {@link #handsOver()} says so.
	 * @param id the lock id
	 * @param owner the holder's owner token
	 * @param nextOwner the waiter's owner token
	 * @param lease the next owner's time to live
	 * @return the next owner's fencing token, or empty if {@code owner} no longer held
	 * the lock (nothing changed)
	 * @throws UnsupportedOperationException if the engine does not hand locks over
	 */
	default OptionalLong handOver(String id, String owner, String nextOwner, Duration lease) {
		throw new UnsupportedOperationException("The " + name() + " engine does not hand locks over");
	}

	/**
	 * Whether {@link #tryAcquireAsync} and {@link #releaseAsync} send their request and
	 * return at once, the answer completing the stage on the engine client's own thread.
	 * Reactive sections then take and release locks without holding a thread while the
	 * engine answers; otherwise those calls run on a thread that may block. The default
	 * is {@code false}.
	 * @return whether the engine answers without blocking a thread
	 */
	default boolean callsWithoutBlocking() {
		return false;
	}

	/**
	 * Does what {@link #tryAcquire} does without blocking the calling thread. Called only
	 * where {@link #callsWithoutBlocking()} says so.
	 * @param id the lock id
	 * @param owner the owner token, unique per acquisition
	 * @param lease how long the lock is held before it expires by itself
	 * @return the fencing token if taken, or empty if another owner holds it; completed
	 * exceptionally with a {@link io.phonon.PhononBackendException} if the engine fails
	 * @throws UnsupportedOperationException if the engine does not answer without
	 * blocking
	 */
	default CompletionStage<OptionalLong> tryAcquireAsync(String id, String owner, Duration lease) {
		throw new UnsupportedOperationException("The " + name() + " engine does not answer without blocking");
	}

	/**
	 * Does what {@link #release} does without blocking the calling thread. Called only
	 * where {@link #callsWithoutBlocking()} says so.
	 * @param id the lock id
	 * @param owner the owner token
	 * @return whether {@code owner} held it unexpired; completed exceptionally with a
	 * {@link io.phonon.PhononBackendException} if the engine fails
	 * @throws UnsupportedOperationException if the engine does not answer without
	 * blocking
	 */
	default CompletionStage<Boolean> releaseAsync(String id, String owner) {
		throw new UnsupportedOperationException("The " + name() + " engine does not answer without blocking");
	}

	/**
	 * Waits until the lock {@code id} may have become free (released or expired) or
	 * {@code maxWait} has passed, whichever comes first. It may return early; the caller
	 * tries again. It must not spin.
	 * @param id the lock id
	 * @param maxWait the longest time to wait
	 * @throws InterruptedException if the thread is interrupted
	 */
	void awaitRelease(String id, Duration maxWait) throws InterruptedException;

	/**
	 * Returns the shortest lease this engine keeps reliably. Renewal starts when a third
	 * of the lease has run, and a renewal that has not reached the engine by the lease's
	 * end loses the lock; a lease shorter than what a renewal takes on a loaded host (a
	 * pause, a busy pool, a slow network) would let a second holder in while the first
	 * still runs. The lock service refuses shorter leases for the locks it renews
	 * ({@code withLock}, {@code @Locked}) and as its default lease. The default, one
	 * second, suits an engine across a network.
	 * @return the shortest lease accepted
	 */
	default Duration shortestLease() {
		return Duration.ofSeconds(1);
	}

	/**
	 * Frees the backend's resources (threads, connections it owns). Locks held are not
	 * released.
	 */
	@Override
	default void close() {
	}

	/**
	 * One lock to renew, as {@link #renew} takes it.
	 *
	 * @param id the lock id
	 * @param owner the owner token
	 * @param lease the new time to live
	 */
	record Renewal(String id, String owner, Duration lease) {
	}

}
