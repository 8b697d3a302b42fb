package io.phonon.lock;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.phonon.PhononBackendException;
import io.phonon.PhononStoppedException;
import io.phonon.Stoppable;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The {@link LockService} over any {@link LockBackend}: re-entrancy and the thread's
 * lease scope, waiting (one waiter per lock id in this JVM contends on the engine, the
 * others queue here), renewal of scoped leases, and meters.
 */
final class DefaultLockService implements LockService, Stoppable {

	private static final Log logger = LogFactory.getLog(DefaultLockService.class);

	private static final int MAX_ID_BYTES = 64 * 1024;

	/**
	 * The Observation of an acquisition, named apart from the {@code phonon.lock.acquire}
	 * timer.
	 */
	static final String ACQUISITION_OBSERVATION = "phonon.lock.acquisition";

	/**
	 * The longest one wait step lasts, so that a waiter notices a stop however its engine
	 * wakes it.
	 */
	private static final long STOP_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final LockBackend backend;

	private final LockMeters meters;

	private final ObservationRegistry observations;

	private final LeaseRenewer renewer;

	private final Duration defaultLease;

	private final Duration defaultWait;

	/** Random per service, so owner tokens of different processes never meet. */
	private final String ownerPrefix;

	private final AtomicLong ownerSequence = new AtomicLong();

	private final ConcurrentHashMap<String, WaitTurn> waitTurns = new ConcurrentHashMap<>();

	/** The leases held now that the renewer does not renew (it knows the others). */
	private final Set<HeldLease> holdings = ConcurrentHashMap.newKeySet();

	/**
	 * How many times in a row a lock goes straight to a waiting thread of this process;
	 * zero where the engine does not hand locks over.
	 */
	private final int localHandOffs;

	private final HeldLease.Release release = new HeldLease.Release() {

		@Override
		public boolean release(String id, String owner) {
			return DefaultLockService.this.release(id, owner);
		}

		@Override
		public boolean releasesWithoutBlocking(String id) {
			// A waiter of this process is handed the lock or woken here, by a call that
			// may block.
			return DefaultLockService.this.backend.callsWithoutBlocking()
					&& !DefaultLockService.this.waitTurns.containsKey(id);
		}

		@Override
		public CompletionStage<Boolean> releaseWithoutBlocking(String id, String owner) {
			return DefaultLockService.this.backend.releaseAsync(id, owner);
		}

		@Override
		public void ended(HeldLease lease) {
			WaitTurn turn = DefaultLockService.this.waitTurns.get(lease.id());
			if (turn != null && turn.holder == lease) {
				// Held past its close (hold-at-least) or lost: the engine decides now.
				turn.releasedHere();
			}
		}

	};

	private volatile boolean running = true;

	DefaultLockService(LockBackend backend, Duration defaultLease, Duration defaultWait, int localHandOffs,
			LockMeters meters, ObservationRegistry observations) {
		this.backend = backend;
		this.localHandOffs = backend.handsOver() ? localHandOffs : 0;
		this.renewer = new LeaseRenewer(this.backend);
		this.defaultLease = defaultLease;
		this.defaultWait = defaultWait;
		this.meters = meters;
		this.observations = observations;
		byte[] random = new byte[12];
		new SecureRandom().nextBytes(random);
		this.ownerPrefix = HexFormat.of().formatHex(random) + ":";
	}

	@Override
	public Optional<Lease> tryAcquire(String id, LockOptions options) {
		return Optional.ofNullable(lock(id, options, Scope.NONE));
	}

	@Override
	public Optional<Lease> tryEnter(String id, LockOptions options) {
		return Optional.ofNullable(lock(id, options, Scope.THREAD));
	}

	@Override
	public Lease acquire(String id, LockOptions options) {
		ScopedLease lease = lock(id, options, Scope.NONE);
		if (lease == null) {
			throw new AlreadyLockedException(id, waitOf(options));
		}
		return lease;
	}

	@Override
	public <T extends @Nullable Object, E extends Throwable> T withLock(String id, LockOptions options,
			LockedAction<T, E> action) throws E {
		ScopedLease lease = lock(id, options, Scope.RENEWED);
		if (lease == null) {
			throw new AlreadyLockedException(id, waitOf(options));
		}
		long heldUntil = System.nanoTime() + options.holdAtLeast().toNanos();
		T result;
		try {
			result = action.run();
		}
		catch (Throwable ex) {
			releaseAfterAction(lease, heldUntil);
			throw ex;
		}
		if (result instanceof CompletionStage<?> stage) {
			// The work goes on elsewhere: this thread leaves the scope, the lock stays
			// held.
			LeaseScope.leave(lease);
			stage.whenComplete((value, failure) -> releaseAfterAction(lease, heldUntil));
		}
		else {
			releaseAfterAction(lease, heldUntil);
		}
		return result;
	}

	LockBackend backend() {
		return this.backend;
	}

	/**
	 * Releases without failing the action: its work is done (or its own exception is on
	 * the way), and a lease that could not be released expires by itself. Before
	 * {@code heldUntil} (the options' hold-at-least), the lease is left to expire then
	 * instead.
	 */
	static void releaseAfterAction(Lease lease, long heldUntil) {
		try {
			long holdFor = heldUntil - System.nanoTime();
			if (holdFor > 0) {
				lease.closeAfter(Duration.ofNanos(holdFor));
			}
			else {
				lease.close();
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not release lock '" + lease.id() + "'; it expires by itself", ex);
		}
	}

	/**
	 * Takes the lock, re-entrantly inside a scope of this thread that holds it.
	 * @param scope whether the lease joins the thread's scope, and whether it is renewed
	 * there
	 */
	private @Nullable ScopedLease lock(String id, LockOptions options, Scope scope) {
		checkId(id);
		HeldLease held = LeaseScope.holding(this.backend, id);
		if (held != null) {
			NestedLease nested = new NestedLease(held);
			if (scope.entersThreadScope) {
				LeaseScope.enter(nested);
			}
			return nested;
		}
		return new Acquisition(id, options, scope).await();
	}

	/**
	 * Begins taking the lock for a reactive subscription: renewed until closed, outside
	 * any thread's scope (the subscription's context is its scope), for the caller to ask
	 * the engine without blocking where it can
	 * ({@link Acquisition#asksWithoutBlocking()}) and to wait on a thread that may block
	 * otherwise. Its Observation's parent is the current one.
	 * @throws PhononStoppedException if the service is stopped
	 */
	Acquisition beginForSubscription(String id, LockOptions options) {
		checkId(id);
		return new Acquisition(id, options, Scope.SUBSCRIPTION);
	}

	/**
	 * Waits in this process's queue for {@code id} until the lock is taken or the
	 * deadline passes. The first in the queue asks the engine, the others park; where the
	 * engine hands locks over, a holder in this process may hand the lock to any of them
	 * ({@link #release}), the first in the queue first.
	 * @param requestedAt set to when the request that took the lock began
	 */
	private OptionalLong awaitTurn(WaitTurn turn, String id, String owner, Duration lease, long deadline,
			long[] requestedAt) throws InterruptedException {
		HandOffOffer offer = new HandOffOffer(owner, lease);
		turn.enter(offer);
		OptionalLong token = OptionalLong.empty();
		boolean settled = false;
		try {
			long remaining;
			while (!offer.isHanded() && (remaining = deadline - System.nanoTime()) > 0) {
				if (!this.running) {
					throw new PhononStoppedException("Lock '" + id + "' was not taken");
				}
				// While a thread of this process holds the lock, it
				// hands it over or says it released it: nobody need
				// ask the engine meanwhile.
				if (!turn.isFirst(offer) || turn.isHeldHere()) {
					offer.park(Math.min(remaining, STOP_CHECK_NANOS));
					continue;
				}
				requestedAt[0] = System.nanoTime();
				token = this.backend.tryAcquire(id, owner, lease);
				if (token.isPresent()) {
					break;
				}
				remaining = deadline - System.nanoTime();
				// A hand-off claimed before this check makes the wait
				// needless; one claimed after it wakes the wait (one
				// signalled before the wait registered costs the
				// engine's fallback poll).
				if (remaining > 0 && offer.isOpen()) {
					this.backend.awaitRelease(id, Duration.ofNanos(Math.min(remaining, STOP_CHECK_NANOS)));
				}
			}
			settled = true;
		}
		finally {
			boolean handed = offer.withdraw();
			if (handed || token.isPresent()) {
				turn.heldHere = true;
			}
			turn.leave(offer);
			if (handed && settled) {
				// The same owner: a token of its own acquisition is the same one.
				token = OptionalLong.of(offer.token());
				requestedAt[0] = Math.min(requestedAt[0], offer.requestedAt());
			}
			else if (handed) {
				releaseAfterFailure(id, owner);
			}
		}
		return token;
	}

	/**
	 * Gives back a lock whose lease ran out before it was answered; this process's next
	 * waiter asks the engine.
	 */
	private void giveBack(String id, String owner, @Nullable WaitTurn waitedIn) {
		try {
			releaseAfterFailure(id, owner);
		}
		finally {
			if (waitedIn != null) {
				waitedIn.releasedHere();
			}
		}
	}

	/**
	 * Gives back what an interrupted or failed acquisition may hold: a lock handed to it
	 * meanwhile, or one that the engine took although the request was interrupted. The
	 * release checks the owner, so it is harmless where nothing was taken, and it runs
	 * with the thread's interrupt held back, which would abort it (a cancelled reactive
	 * subscription interrupts its wait) and leave the lock held until its lease ran out.
	 */
	private void releaseAfterFailure(String id, String owner) {
		boolean interrupted = Thread.interrupted();
		try {
			this.backend.release(id, owner);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not release lock '" + id + "' after its acquisition stopped; it expires by itself", ex);
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Releases a lock that {@code owner} holds, or, where the engine hands locks over and
	 * a thread of this process waits for it, hands it to that thread in one engine step:
	 * at most {@link Builder#localHandOffs} times in a row, then the lock is released so
	 * that other processes' waiters get their turn.
	 * @return whether {@code owner} still held it
	 */
	boolean release(String id, String owner) {
		WaitTurn turn = this.waitTurns.get(id);
		if (turn == null) {
			return this.backend.release(id, owner);
		}
		HandOffOffer offer = (this.localHandOffs > 0 && this.running) ? turn.claim(this.localHandOffs) : null;
		if (offer == null) {
			try {
				return this.backend.release(id, owner);
			}
			finally {
				turn.releasedHere();
			}
		}
		long requestedAt = System.nanoTime();
		OptionalLong token;
		try {
			token = this.backend.handOver(id, owner, offer.owner, offer.lease);
		}
		catch (RuntimeException ex) {
			offer.failed();
			turn.releasedHere();
			throw ex;
		}
		if (token.isEmpty()) {
			offer.failed();
			turn.releasedHere();
			return false;
		}
		turn.holder = null; // the next holder's lease is yet to be made
		offer.handed(token.getAsLong(), requestedAt);
		return true;
	}

	private static void stop(Observation observation, String outcome, @Nullable Throwable failure) {
		observation.lowCardinalityKeyValue("outcome", outcome);
		if (failure != null) {
			observation.error(failure);
		}
		observation.stop();
	}

	@Override
	public List<HeldLock> held() {
		return Stream.concat(this.renewer.leases().stream(), this.holdings.stream())
			.filter(HeldLease::isValid)
			.map(HeldLease::describe)
			.sorted(Comparator.comparing(HeldLock::id))
			.toList();
	}

	Duration waitOf(LockOptions options) {
		return (options.waitTime() != null) ? options.waitTime() : this.defaultWait;
	}

	static Duration checkLease(LockBackend backend, Duration lease) {
		LockOptions.checkLease(lease);
		Duration shortest = backend.shortestLease();
		if (lease.compareTo(shortest) < 0) {
			throw new IllegalArgumentException(
					"Lock lease " + lease + " is shorter than the " + backend.name() + " engine keeps reliably ("
							+ shortest + "): renewal could not keep it on a loaded host and a second"
							+ " holder would enter while the first still runs. Use a lease of at least " + shortest);
		}
		return lease;
	}

	private static void checkId(String id) {
		if (id == null || id.isEmpty()) {
			throw new IllegalArgumentException("Lock id must not be null or empty");
		}
		// A char is at most 3 bytes in UTF-8, so only long ids need encoding to be
		// measured.
		if (id.length() > MAX_ID_BYTES / 3) {
			int bytes = id.getBytes(StandardCharsets.UTF_8).length;
			if (bytes > MAX_ID_BYTES) {
				throw new IllegalArgumentException("Lock id is " + bytes + " bytes in UTF-8; at most " + MAX_ID_BYTES
						+ " are allowed. Use a shorter key, such as a hash of the value");
			}
		}
	}

	/**
	 * Refuses new locks, lets the running scopes end with their leases renewed until the
	 * deadline, then revokes the leases of scopes still running (lost, then released) and
	 * releases every other lease this service holds.
	 */
	@Override
	public void stop(long deadline) {
		if (!this.running) {
			return;
		}
		this.running = false;
		if (!this.renewer.awaitDrained(deadline)) {
			logger.warn("Phonon stopped before " + this.renewer.leases().size() + " locked section(s) ended: their"
					+ " leases are revoked now and others may enter (phonon.shutdown.grace-period ran out)");
		}
		for (HeldLease lease : List.copyOf(this.renewer.leases())) {
			endWhileStopping(lease, HeldLease::revoke);
		}
		for (HeldLease lease : List.copyOf(this.holdings)) {
			endWhileStopping(lease, HeldLease::close);
		}
		this.renewer.close();
	}

	private static void endWhileStopping(HeldLease lease, Consumer<HeldLease> how) {
		try {
			how.accept(lease);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not release lock '" + lease.id() + "' while stopping; it expires by itself", ex);
		}
	}

	@Override
	public void start() {
		this.renewer.reopen();
		this.running = true;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public String toString() {
		return "LockService[backend=" + this.backend.name() + "]";
	}

	/**
	 * One acquisition, whichever way it asks the engine: its owner, lease and deadline,
	 * its meters and Observation (started when it begins), the check of a late answer,
	 * and the lease it makes.
	 */
	final class Acquisition {

		private final String id;

		private final Scope scope;

		private final Duration lease;

		private final Duration wait;

		private final LockMeters.Named named;

		private final Observation observation;

		private final String owner;

		private final long start;

		private final long deadline;

		/** When the request that took the lock began. */
		private long requestedAt;

		/** This process's queue where the lock was taken, if it waited in one. */
		private @Nullable WaitTurn waitedIn;

		/** Whether the last answer came after the lease ran out, and was given back. */
		private boolean answeredLate;

		private Acquisition(String id, LockOptions options, Scope scope) {
			if (!DefaultLockService.this.running) {
				throw new PhononStoppedException("Lock '" + id + "' was not taken");
			}
			this.id = id;
			this.scope = scope;
			this.lease = (options.lease() == null) ? DefaultLockService.this.defaultLease
					// Only a lease that is renewed must outlast a renewal; others end
					// when
					// their holder chose.
					: scope.renewed ? checkLease(DefaultLockService.this.backend, options.lease()) : options.lease();
			this.wait = waitOf(options);
			this.named = DefaultLockService.this.meters.named(options.name());
			this.observation = Observation
				.createNotStarted(ACQUISITION_OBSERVATION, DefaultLockService.this.observations)
				.lowCardinalityKeyValue("name", options.name())
				.lowCardinalityKeyValue("backend", DefaultLockService.this.backend.name())
				.start();
			this.owner = DefaultLockService.this.ownerPrefix + DefaultLockService.this.ownerSequence.incrementAndGet();
			this.start = System.nanoTime();
			this.deadline = this.start + this.wait.toNanos();
		}

		/**
		 * Waits on this thread, while the options' wait allows, until the lock is taken.
		 * @return the lease, or null if another owner held the lock for the whole wait
		 */
		@Nullable ScopedLease await() {
			LockBackend backend = DefaultLockService.this.backend;
			ConcurrentHashMap<String, WaitTurn> waitTurns = DefaultLockService.this.waitTurns;
			OptionalLong token;
			try (Observation.Scope observing = this.observation.openScope()) {
				do {
					this.requestedAt = System.nanoTime();
					this.waitedIn = null;
					// A thread that may wait queues behind this process's waiters rather
					// than take the lock from them as it is handed over.
					token = (this.wait.isZero() || DefaultLockService.this.localHandOffs == 0
							|| !waitTurns.containsKey(this.id)) ? backend.tryAcquire(this.id, this.owner, this.lease)
									: OptionalLong.empty();
					if (token.isEmpty() && !this.wait.isZero()) {
						WaitTurn turn = waitTurns.compute(this.id, (key, existing) -> WaitTurn.join(existing));
						this.waitedIn = turn;
						try {
							long[] handedAt = { this.requestedAt };
							token = awaitTurn(turn, this.id, this.owner, this.lease, this.deadline, handedAt);
							this.requestedAt = handedAt[0];
						}
						finally {
							waitTurns.computeIfPresent(this.id, (key, existing) -> existing.leave());
						}
					}
					if (answeredLate(token)) {
						token = OptionalLong.empty();
						giveBack(this.id, this.owner, this.waitedIn);
					}
				}
				while (token.isEmpty() && this.deadline - System.nanoTime() > 0);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw failed(new CancellationException("Interrupted while waiting for lock '" + this.id + "'"));
			}
			catch (RuntimeException ex) {
				if (Thread.currentThread().isInterrupted()) {
					// The request may have run although the wait for its answer was cut
					// short.
					releaseAfterFailure(this.id, this.owner);
				}
				throw failed(ex);
			}
			return settle(token);
		}

		/**
		 * Whether {@link #askWithoutBlocking()} may ask: where the engine answers without
		 * blocking, and no waiter of this process queues for the lock (one that may wait
		 * queues behind them, on a thread that may block).
		 */
		boolean asksWithoutBlocking() {
			return DefaultLockService.this.backend.callsWithoutBlocking()
					&& (this.wait.isZero() || DefaultLockService.this.localHandOffs == 0
							|| !DefaultLockService.this.waitTurns.containsKey(this.id));
		}

		/**
		 * Asks the engine once, without blocking; the answer comes on the engine client's
		 * thread. Then, on a thread that may block, {@link #settle} makes the lease of a
		 * token, or, where it is empty and {@link #waits()}, {@link #await()} waits.
		 * @return the token if taken; empty if another owner holds the lock, or the
		 * answer came late and was given back; completed exceptionally if the engine
		 * failed (recorded as failed)
		 */
		CompletionStage<OptionalLong> askWithoutBlocking() {
			this.requestedAt = System.nanoTime();
			LockBackend backend = DefaultLockService.this.backend;
			return backend.tryAcquireAsync(this.id, this.owner, this.lease).handle((token, failure) -> {
				if (failure != null) {
					// The request may have run although its answer failed.
					backend.releaseAsync(this.id, this.owner);
					throw failed((failure instanceof RuntimeException runtime) ? runtime
							: new PhononBackendException(backend.name(), "take lock '" + this.id + "'", failure));
				}
				if (answeredLate(token)) {
					backend.releaseAsync(this.id, this.owner).whenComplete((released, ex) -> {
						if (ex != null) {
							logger.warn("Could not give back lock '" + this.id + "'; it expires by itself", ex);
						}
					});
					return OptionalLong.empty();
				}
				return token;
			});
		}

		/** Whether the wait has time left. */
		boolean waits() {
			return !this.wait.isZero() && this.deadline - System.nanoTime() > 0;
		}

		/**
		 * Whether a renewed section's token came after its lease ran out (a flood of
		 * requests on few cores can delay it that long): it must not start on it. The
		 * caller gives it back and, while the wait allows, asks again. A lease handed to
		 * the caller is returned as it is; its isValid() says so.
		 */
		private boolean answeredLate(OptionalLong token) {
			this.answeredLate = this.scope.renewed && token.isPresent()
					&& System.nanoTime() - this.requestedAt - this.lease.toNanos() >= 0;
			if (this.answeredLate) {
				logger.warn("Lock '" + this.id + "' was answered after its lease of " + this.lease
						+ " ran out (the host or the engine is overloaded): given back"
						+ ((this.deadline - System.nanoTime() > 0) ? ", asking again" : ""));
			}
			return this.answeredLate;
		}

		/**
		 * Ends the acquisition as failed, recorded in its meters and Observation.
		 * @return {@code ex}, to throw
		 */
		RuntimeException failed(RuntimeException ex) {
			this.named.failed(System.nanoTime() - this.start);
			stop(this.observation, "failed", ex);
			return ex;
		}

		/**
		 * Ends the acquisition with the engine's last answer, on a thread that may block.
		 * @return the lease, or null if the lock was not taken
		 * @throws PhononBackendException if the last answer came late
		 */
		@Nullable ScopedLease settle(OptionalLong token) {
			if (token.isEmpty() && this.answeredLate) {
				throw failed(new PhononBackendException(DefaultLockService.this.backend.name(),
						"take lock '" + this.id + "' in time: it answered after the lease of " + this.lease
								+ " ran out; the host or the engine is overloaded, or the lease is shorter than a"
								+ " request to the engine takes (use a longer lease)",
						null));
			}
			if (token.isEmpty()) {
				this.named.timedOut(System.nanoTime() - this.start);
				stop(this.observation, "timeout", null);
				return null;
			}
			LongTaskTimer.Sample active = this.named.acquired(System.nanoTime() - this.start);
			stop(this.observation, "acquired", null);
			HeldLease acquired = new HeldLease(DefaultLockService.this.backend, DefaultLockService.this.release,
					DefaultLockService.this.renewer, DefaultLockService.this.holdings, this.named, active, this.id,
					this.owner, token.getAsLong(), this.lease.toNanos(), this.requestedAt, this.scope != Scope.THREAD);
			if (this.waitedIn != null) {
				this.waitedIn.holder = acquired;
			}
			if (this.scope.entersThreadScope) {
				LeaseScope.enter(acquired);
			}
			// One registry per lease, for held(): the renewer's, or that of the leases it
			// does not renew.
			if (this.scope.renewed) {
				DefaultLockService.this.renewer.register(acquired);
			}
			else {
				DefaultLockService.this.holdings.add(acquired);
			}
			if (!DefaultLockService.this.running) {
				// Stopped while the engine answered: the stop may not have seen this
				// lease, so give it back (without blocking where the engine allows, for a
				// reactive section is settled on a thread that must not block).
				if (acquired.closeWithoutBlocking() == null) {
					acquired.close();
				}
				throw new PhononStoppedException("Lock '" + this.id + "' was not taken");
			}
			return acquired;
		}

	}

	/** Where a new lease lives. */
	private enum Scope {

		/** Held by whoever holds the object ({@link #acquire}, {@link #tryAcquire}). */
		NONE(false, false),

		/**
		 * The thread's current lease until closed, not renewed nor re-entrant
		 * ({@link #tryEnter}).
		 */
		THREAD(true, false),

		/**
		 * The thread's current lease, renewed while the frame of {@link #withLock} runs.
		 */
		RENEWED(true, true),

		/**
		 * Renewed while a reactive subscription lasts, whose context (not a thread) is
		 * its scope ({@link #beginForSubscription}).
		 */
		SUBSCRIPTION(false, true);

		/** Whether the lease becomes the thread's current one. */
		final boolean entersThreadScope;

		final boolean renewed;

		Scope(boolean entersThreadScope, boolean renewed) {
			this.entersThreadScope = entersThreadScope;
			this.renewed = renewed;
		}

	}

	/**
	 * The queue of this JVM's waiters for one lock id: only the first asks the engine.
	 */
	private static final class WaitTurn {

		/** Guarded by the map's compute of this id. */
		int members;

		/** The waiters, oldest first. Guarded by this. */
		private final ArrayDeque<HandOffOffer> queue = new ArrayDeque<>();

		/**
		 * Whether a thread of this process took the lock by waiting here and has not
		 * released it to the engine.
		 */
		volatile boolean heldHere;

		/** The lease of that thread, once made: its end also ends {@link #heldHere}. */
		volatile @Nullable HeldLease holder;

		boolean isHeldHere() {
			HeldLease holder = this.holder;
			return this.heldHere && (holder == null || holder.isValid());
		}

		/** The lock was released to the engine: the first waiter asks it. */
		void releasedHere() {
			this.heldHere = false;
			this.holder = null;
			HandOffOffer first;
			synchronized (this) {
				first = this.queue.peekFirst();
			}
			if (first != null) {
				first.wake();
			}
		}

		/**
		 * Hand-offs since the lock was last released while this process waited for it.
		 * Guarded by this.
		 */
		private int handOffsInARow;

		synchronized void enter(HandOffOffer offer) {
			this.queue.addLast(offer);
		}

		synchronized boolean isFirst(HandOffOffer offer) {
			return this.queue.peekFirst() == offer;
		}

		/**
		 * Takes a waiter out of the queue, waking the next if it was the first, unless
		 * the lock is held here (the next would only park again).
		 */
		void leave(HandOffOffer offer) {
			HandOffOffer next;
			synchronized (this) {
				boolean first = this.queue.peekFirst() == offer;
				this.queue.remove(offer);
				next = (first && !this.heldHere) ? this.queue.peekFirst() : null;
			}
			if (next != null) {
				next.wake();
			}
		}

		/**
		 * Claims the oldest open offer, unless {@code limit} hand-offs in a row were
		 * made: then the count starts again and the caller releases.
		 */
		@Nullable HandOffOffer claim(int limit) {
			synchronized (this) {
				if (this.handOffsInARow >= limit) {
					this.handOffsInARow = 0;
					return null;
				}
				for (HandOffOffer offer : this.queue) {
					if (offer.claim()) {
						this.handOffsInARow++;
						return offer;
					}
				}
				return null;
			}
		}

		static WaitTurn join(@Nullable WaitTurn existing) {
			WaitTurn turn = (existing != null) ? existing : new WaitTurn();
			turn.members++;
			return turn;
		}

		@Nullable WaitTurn leave() {
			return (--this.members == 0) ? null : this;
		}

	}

}
