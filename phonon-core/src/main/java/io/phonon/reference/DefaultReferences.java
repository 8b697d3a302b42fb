package io.phonon.reference;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.phonon.PhononStoppedException;
import io.phonon.PhononThreads;
import io.phonon.Stoppable;
import io.phonon.lock.LockService;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * {@link References} over any {@link ReferenceBackend}: this process's session and
 * heartbeat thread, its holders per resource (the engine sees the process once, however
 * many holders it has), the handlers, reaping of crashed processes and the running of
 * last releases.
 * <p>
 * Maintenance never waits behind the application, nor the reverse: the heartbeat has a
 * thread of its own, and last releases claimed by it run on a small pool of their own, so
 * a slow handler cannot stop the heartbeats that keep this process alive. A heartbeat
 * that finds the session expired (this process paused, or was cut off, for longer than
 * the session timeout) starts it anew and keeps the holdings the engine still has;
 * references whose holding was dropped meanwhile are lost, and say so when used.
 */
final class DefaultReferences implements References, Stoppable {

	private static final Log logger = LogFactory.getLog(DefaultReferences.class);

	private static final int STRIPES = 64;

	/** How many claimed last releases run at once. */
	private static final int HANDLER_THREADS = 4;

	private final ReferenceBackend backend;

	private final LockService lockService;

	private final Duration heartbeatInterval;

	private final Duration sessionTimeout;

	private final String processId;

	/**
	 * This process's holdings per resource; changed only under the resource's stripe
	 * lock.
	 */
	private final Map<String, Holding> holders = new ConcurrentHashMap<>();

	private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

	/** Serializes session renewals, so one heal at a time compares the holdings. */
	private final ReentrantLock session = new ReentrantLock();

	private final List<Registration> handlers = new CopyOnWriteArrayList<>();

	/**
	 * Last releases whose handlers ran but whose completion the engine has not recorded
	 * yet.
	 */
	private final Set<String> uncompleted = ConcurrentHashMap.newKeySet();

	/**
	 * Last releases claimed by the heartbeat and running (or queued) on the handler pool.
	 */
	private final Set<String> running = ConcurrentHashMap.newKeySet();

	private final AtomicInteger held = new AtomicInteger();

	private final @Nullable Counter succeeded;

	private final @Nullable Counter failed;

	private final @Nullable Counter sessionsLost;

	/**
	 * When the session may have expired, by this JVM's monotonic clock: a heartbeat's
	 * start plus the timeout.
	 */
	private volatile long sessionValidUntil;

	/** Made anew by each {@link #startSession()}, which the constructor calls. */
	private volatile ScheduledExecutorService heartbeats;

	private volatile ThreadPoolExecutor handlerRuns;

	private volatile boolean accepting;

	DefaultReferences(ReferenceBackend backend, LockService lockService, Duration heartbeatInterval,
			Duration sessionTimeout, @Nullable MeterRegistry meterRegistry) {
		this.backend = backend;
		this.lockService = lockService;
		this.heartbeatInterval = heartbeatInterval;
		this.sessionTimeout = sessionTimeout;
		this.processId = newProcessId();
		for (int i = 0; i < STRIPES; i++) {
			this.stripes[i] = new ReentrantLock();
		}
		if (meterRegistry != null) {
			Gauge.builder("phonon.reference.held", this.held, AtomicInteger::get)
				.description("References held now by this instance")
				.tag("backend", backend.name())
				.register(meterRegistry);
			this.succeeded = lastReleaseCounter(meterRegistry, "success");
			this.failed = lastReleaseCounter(meterRegistry, "failure");
			this.sessionsLost = Counter.builder("phonon.reference.session.lost")
				.description("Sessions this instance's own heartbeat found expired (paused or cut off past the"
						+ " session timeout), and started anew")
				.tag("backend", backend.name())
				.register(meterRegistry);
		}
		else {
			this.succeeded = null;
			this.failed = null;
			this.sessionsLost = null;
		}
		startSession();
	}

	/**
	 * Starts a new session, its heartbeats and the pool of the last releases they claim.
	 */
	private void startSession() {
		this.heartbeats = PhononThreads.scheduler("phonon-references-heartbeat");
		this.handlerRuns = PhononThreads.pool("phonon-last-release", HANDLER_THREADS);
		long start = System.nanoTime();
		this.backend.heartbeat(this.processId, this.sessionTimeout);
		this.sessionValidUntil = start + this.sessionTimeout.toNanos();
		this.accepting = true;
		logger.info(
				"Phonon process " + this.processId + " started its session on the " + this.backend.name() + " backend");
		this.heartbeats.scheduleWithFixedDelay(this::heartbeat, this.heartbeatInterval.toNanos(),
				this.heartbeatInterval.toNanos(), TimeUnit.NANOSECONDS);
	}

	private static Counter lastReleaseCounter(MeterRegistry registry, String outcome) {
		return Counter.builder("phonon.reference.last.release")
			.description("Last-release handlers run by this instance")
			.tag("outcome", outcome)
			.register(registry);
	}

	@Override
	public Reference acquire(String resource) {
		checkName(resource);
		if (!this.accepting) {
			throw new PhononStoppedException("The reference to '" + resource + "' was not taken");
		}
		ensureSession();
		Holding holding;
		ReentrantLock stripe = stripe(resource);
		stripe.lock();
		try {
			holding = this.holders.get(resource);
			if (holding == null) {
				this.backend.join(resource, this.processId);
				holding = new Holding();
				this.holders.put(resource, holding);
			}
			holding.count++;
		}
		finally {
			stripe.unlock();
		}
		this.held.incrementAndGet();
		return new DefaultReference(this, resource, holding);
	}

	@Override
	public long count(String resource) {
		checkName(resource);
		ensureSession();
		return this.backend.count(resource);
	}

	@Override
	public void onLastRelease(String pattern, LastReleaseHandler handler) {
		checkName(pattern);
		this.handlers.add(new Registration(pattern, handler));
	}

	@Override
	public SortedMap<String, Integer> held() {
		SortedMap<String, Integer> held = new TreeMap<>();
		this.holders.forEach((resource, holding) -> held.put(resource, holding.count));
		return Collections.unmodifiableSortedMap(held);
	}

	@Override
	public String processId() {
		return this.processId;
	}

	ReferenceBackend backend() {
		return this.backend;
	}

	LockService lockService() {
		return this.lockService;
	}

	/**
	 * Releases one holder of {@code resource} in the engine: the last holder in this
	 * process leaves the resource. If the engine fails, nothing changed and the holder
	 * still holds. A holding that was lost (or released by a stop) is left alone.
	 * @return the last release this process now runs, if this emptied the resource
	 */
	Optional<LastRelease> leave(String resource, Holding holding) {
		ensureSession();
		Optional<LastRelease> emptied = Optional.empty();
		ReentrantLock stripe = stripe(resource);
		stripe.lock();
		try {
			if (holding.lost != null) {
				return Optional.empty();
			}
			if (holding.count == 1) {
				emptied = this.backend.leave(resource, this.processId);
				this.holders.remove(resource);
			}
			holding.count--;
		}
		finally {
			stripe.unlock();
		}
		this.held.decrementAndGet();
		return emptied;
	}

	/**
	 * Runs the last release that this process's release produced, throwing the first
	 * handler failure to the releaser.
	 */
	void runLastRelease(LastRelease release, @Nullable Runnable onLast) {
		RuntimeException failure = run(release, onLast);
		if (failure != null) {
			throw failure;
		}
	}

	/**
	 * Runs a last release this process claimed ({@code onLast}, or the matching handlers,
	 * or, with neither, nothing: every process registers the same handlers, so none has
	 * one), and records it complete.
	 * @return the first handler failure, which the caller may throw
	 */
	private @Nullable RuntimeException run(LastRelease release, @Nullable Runnable onLast) {
		List<LastReleaseHandler> handlers = (onLast != null) ? List.of((ignored) -> onLast.run())
				: this.handlers.stream()
					.filter((registration) -> registration.matches(release.resource()))
					.map((registration) -> registration.handler)
					.toList();
		RuntimeException failure = null;
		for (LastReleaseHandler handler : handlers) {
			RuntimeException handlerFailure = attempt(release, handler);
			failure = (failure != null) ? failure : handlerFailure;
		}
		if (failure instanceof PhononStoppedException) {
			// A handler needed new work of a Phonon that is stopping: left for a live
			// process, which runs it once this process's session has ended.
			logger.info(
					"Last release of '" + release.resource() + "' is left for a live process: " + failure.getMessage());
			return failure;
		}
		if (!handlers.isEmpty()) {
			count((failure == null) ? this.succeeded : this.failed);
		}
		complete(release.id());
		return failure;
	}

	private static @Nullable RuntimeException attempt(LastRelease release, LastReleaseHandler handler) {
		try {
			handler.onLastRelease(release);
			return null;
		}
		catch (PhononStoppedException ex) {
			return ex;
		}
		catch (RuntimeException ex) {
			logger.warn("Last-release handler of '" + release.resource() + "' failed", ex);
			return ex;
		}
		catch (Exception ex) {
			logger.warn("Last-release handler of '" + release.resource() + "' failed", ex);
			return new IllegalStateException("Last-release handler of '" + release.resource() + "' failed", ex);
		}
	}

	private void complete(String id) {
		try {
			this.backend.complete(id);
			this.uncompleted.remove(id);
		}
		catch (RuntimeException ex) {
			// The handlers ran; the next heartbeat records it, so no other process runs
			// them again.
			this.uncompleted.add(id);
			logger.warn("Could not record last release " + id + " as complete; will retry", ex);
		}
	}

	/**
	 * Extends the session, reaps crashed processes, and hands the last releases nobody
	 * runs to the pool.
	 */
	private void heartbeat() {
		try {
			renewSession(false);
			for (String id : List.copyOf(this.uncompleted)) {
				complete(id);
			}
			List<String> reaped = this.backend.reapExpiredSessions();
			if (!reaped.isEmpty()) {
				logger
					.info("Phonon process " + this.processId + " reaped the references of expired processes " + reaped);
			}
			for (LastRelease release : this.backend.unhandled()) {
				if (this.accepting && !this.running.contains(release.id())
						&& this.backend.claim(release.id(), this.processId)) {
					dispatch(release);
				}
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Phonon process " + this.processId + " could not complete its heartbeat; will retry", ex);
		}
	}

	/** Runs a claimed last release on the handler pool, never on the heartbeat thread. */
	private void dispatch(LastRelease release) {
		this.running.add(release.id());
		try {
			this.handlerRuns.execute(() -> {
				try {
					run(release, null);
				}
				finally {
					this.running.remove(release.id());
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// Stopping: the claim lapses with the session, and a live process runs it.
			this.running.remove(release.id());
		}
	}

	/**
	 * Renews the session first where this JVM's clock says it may have expired: after a
	 * pause. The threads that find it so after one pause share one renewal.
	 */
	void ensureSession() {
		if (mayHaveExpired()) {
			renewSession(true);
		}
	}

	private boolean mayHaveExpired() {
		return System.nanoTime() - this.sessionValidUntil >= 0;
	}

	/**
	 * Extends the session. If the engine says it had expired, it started anew: holdings
	 * the engine dropped meanwhile are lost here too, so that a later acquisition of
	 * their resources joins again and their references say what happened.
	 * @param onlyIfExpired whether to leave a session that another thread renewed
	 * meanwhile
	 */
	private void renewSession(boolean onlyIfExpired) {
		this.session.lock();
		try {
			if (onlyIfExpired && !mayHaveExpired()) {
				return;
			}
			long start = System.nanoTime();
			if (!this.backend.heartbeat(this.processId, this.sessionTimeout)) {
				heal();
			}
			// Published only once healed: a call that sees the session valid sees lost
			// holdings marked.
			this.sessionValidUntil = start + this.sessionTimeout.toNanos();
		}
		finally {
			this.session.unlock();
		}
	}

	private void heal() {
		Map<String, Holding> believed = Map.copyOf(this.holders);
		Set<String> kept = believed.isEmpty() ? Set.of() : this.backend.heldBy(this.processId, believed.keySet());
		List<String> lost = new ArrayList<>();
		for (Map.Entry<String, Holding> holding : believed.entrySet()) {
			if (!kept.contains(holding.getKey()) && drop(holding.getKey(), holding.getValue(),
					"this process's session expired (it paused or was cut off"
							+ " for longer than the session timeout) and the engine dropped its holding meanwhile")) {
				lost.add(holding.getKey());
			}
		}
		count(this.sessionsLost);
		logger
			.warn("Phonon process " + this.processId + " found its session expired: it paused or was cut off for longer"
					+ " than the session timeout (" + this.sessionTimeout
					+ ") and other processes may have counted it as" + " crashed. It started the session anew and kept "
					+ (believed.size() - lost.size()) + " resource(s) the engine still had; " + lost.size()
					+ " reference holding(s) were lost" + (lost.isEmpty() ? "" : ": " + lost));
	}

	/**
	 * Forgets this process's holding of a resource without telling the engine: its
	 * references are lost, and the next acquisition joins again.
	 * @return whether {@code holding} was still this process's holding
	 */
	private boolean drop(String resource, Holding holding, String why) {
		ReentrantLock stripe = stripe(resource);
		stripe.lock();
		try {
			if (!this.holders.remove(resource, holding)) {
				return false;
			}
			holding.lost = why;
			this.held.addAndGet(-holding.count);
			return true;
		}
		finally {
			stripe.unlock();
		}
	}

	/**
	 * Stops: no new references; claimed last releases finish on the pool until the
	 * deadline, the session kept alive meanwhile; then this process's references are
	 * released through the normal path (the last one out runs the handlers here) and its
	 * session ends.
	 */
	@Override
	public void stop(long deadline) {
		if (!this.accepting) {
			return;
		}
		this.accepting = false;
		this.handlerRuns.shutdown();
		try {
			if (!this.handlerRuns.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
				logger.warn("Phonon stopped before " + this.running.size() + " last release(s) ended; a live process"
						+ " runs them again (phonon.shutdown.grace-period ran out)");
				this.handlerRuns.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		for (Map.Entry<String, Holding> holding : Map.copyOf(this.holders).entrySet()) {
			String resource = holding.getKey();
			// All of this process's holders at once: the engine sees the process, not its
			// holders.
			if (drop(resource, holding.getValue(), "this process stopped and released it")) {
				try {
					this.backend.leave(resource, this.processId).ifPresent((release) -> run(release, null));
				}
				catch (RuntimeException ex) {
					logger.warn("Could not release '" + resource + "' while stopping; the session's end releases it",
							ex);
				}
			}
		}
		// A heartbeat under way ends normally (interrupting it would fail its engine
		// call); none follows.
		this.heartbeats.shutdown();
		try {
			if (!this.heartbeats.awaitTermination(10, TimeUnit.SECONDS)) {
				this.heartbeats.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		try {
			this.backend.endSession(this.processId);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not end the session of Phonon process " + this.processId + "; it expires by itself", ex);
		}
	}

	@Override
	public void start() {
		if (!this.accepting) {
			startSession();
		}
	}

	@Override
	public boolean isRunning() {
		return this.accepting;
	}

	static void checkName(String name) {
		if (name == null || name.isEmpty()) {
			throw new IllegalArgumentException("Resource name must not be null or empty");
		}
	}

	private ReentrantLock stripe(String resource) {
		int h = resource.hashCode();
		return this.stripes[(h ^ (h >>> 16)) & (STRIPES - 1)];
	}

	private static void count(@Nullable Counter counter) {
		if (counter != null) {
			counter.increment();
		}
	}

	private static String newProcessId() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			host = "unknown-host";
		}
		String pid = ManagementFactory.getRuntimeMXBean().getName().split("@")[0];
		return host + ":" + pid + ":" + UUID.randomUUID().toString().substring(0, 8);
	}

	/**
	 * This process's holding of one resource: how many of its holders hold it, or why it
	 * was lost.
	 */
	static final class Holding {

		/** Guarded by the resource's stripe lock. */
		int count;

		volatile @Nullable String lost;

	}

	/** A handler and the resource names it handles. */
	private static final class Registration {

		private final Pattern pattern;

		private final LastReleaseHandler handler;

		Registration(String pattern, LastReleaseHandler handler) {
			String regex = Arrays.stream(pattern.split("\\*", -1))
				.map(Pattern::quote)
				.collect(Collectors.joining(".*"));
			this.pattern = Pattern.compile(regex, Pattern.DOTALL);
			this.handler = handler;
		}

		boolean matches(String resource) {
			return this.pattern.matcher(resource).matches();
		}

	}

}
