package io.phonon.reference;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.phonon.lock.LockService;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * {@link References} over any {@link ReferenceBackend}: this process's session and heartbeat
 * thread, its holders per resource (the engine sees the process once, however many holders it
 * has), the handlers, reaping of crashed processes and the running of last releases.
 */
final class DefaultReferences implements References, AutoCloseable {

	private static final Log logger = LogFactory.getLog(DefaultReferences.class);

	private static final int STRIPES = 64;

	private final ReferenceBackend backend;

	private final LockService lockService;

	private final Duration sessionTimeout;

	private final String processId;

	/** This process's holders per resource; changed only under the resource's stripe lock. */
	private final Map<String, Integer> holders = new ConcurrentHashMap<>();

	private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

	private final List<Registration> handlers = new CopyOnWriteArrayList<>();

	/** Last releases whose handlers ran but whose completion the engine has not recorded yet. */
	private final Set<String> uncompleted = ConcurrentHashMap.newKeySet();

	private final AtomicInteger held = new AtomicInteger();

	private final @Nullable Counter succeeded;

	private final @Nullable Counter failed;

	private final ScheduledExecutorService heartbeats;

	private volatile boolean closed;

	DefaultReferences(ReferenceBackend backend, LockService lockService, Duration heartbeatInterval,
			Duration sessionTimeout, @Nullable MeterRegistry meterRegistry) {
		this.backend = backend;
		this.lockService = lockService;
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
		}
		else {
			this.succeeded = null;
			this.failed = null;
		}
		backend.heartbeat(this.processId, sessionTimeout);
		logger.info("Phonon process " + this.processId + " started its session on the " + backend.name() + " backend");
		this.heartbeats = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "phonon-references");
			thread.setDaemon(true);
			return thread;
		});
		this.heartbeats.scheduleWithFixedDelay(this::heartbeat, heartbeatInterval.toNanos(),
				heartbeatInterval.toNanos(), TimeUnit.NANOSECONDS);
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
		checkOpen();
		ReentrantLock stripe = stripe(resource);
		stripe.lock();
		try {
			int count = this.holders.getOrDefault(resource, 0);
			if (count == 0) {
				this.backend.join(resource, this.processId);
			}
			this.holders.put(resource, count + 1);
		}
		finally {
			stripe.unlock();
		}
		this.held.incrementAndGet();
		return new DefaultReference(this, resource);
	}

	@Override
	public long count(String resource) {
		checkName(resource);
		return this.backend.count(resource);
	}

	@Override
	public void onLastRelease(String pattern, LastReleaseHandler handler) {
		checkName(pattern);
		this.handlers.add(new Registration(pattern, handler));
	}

	@Override
	public SortedMap<String, Integer> held() {
		return Collections.unmodifiableSortedMap(new TreeMap<>(this.holders));
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
	 * Releases one holder of {@code resource} in the engine: the last holder in this process
	 * leaves the resource. If the engine fails, nothing changed and the holder still holds.
	 * @return the last release this process now runs, if this emptied the resource
	 */
	Optional<LastRelease> leave(String resource) {
		checkOpen();
		Optional<LastRelease> emptied = Optional.empty();
		ReentrantLock stripe = stripe(resource);
		stripe.lock();
		try {
			int count = this.holders.getOrDefault(resource, 0);
			if (count < 1) {
				throw new IllegalStateException("Process " + this.processId + " holds no reference to '" + resource + "'");
			}
			if (count == 1) {
				emptied = this.backend.leave(resource, this.processId);
				this.holders.remove(resource);
			}
			else {
				this.holders.put(resource, count - 1);
			}
		}
		finally {
			stripe.unlock();
		}
		this.held.decrementAndGet();
		return emptied;
	}

	/**
	 * Runs the last release that this process's release produced, throwing the first handler
	 * failure to the releaser.
	 */
	void runLastRelease(LastRelease release, @Nullable Runnable onLast) {
		RuntimeException failure = run(release, onLast);
		if (failure != null) {
			throw failure;
		}
	}

	/**
	 * Runs a last release this process claimed ({@code onLast}, or the matching handlers, or,
	 * with neither, nothing: every process registers the same handlers, so none has one), and
	 * records it complete.
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
			// The handlers ran; the next heartbeat records it, so no other process runs them again.
			this.uncompleted.add(id);
			logger.warn("Could not record last release " + id + " as complete; will retry", ex);
		}
	}

	/** Extends the session, reaps crashed processes, and runs the last releases nobody runs. */
	private void heartbeat() {
		try {
			this.backend.heartbeat(this.processId, this.sessionTimeout);
			for (String id : List.copyOf(this.uncompleted)) {
				complete(id);
			}
			List<String> reaped = this.backend.reapExpiredSessions();
			if (!reaped.isEmpty()) {
				logger.info("Phonon process " + this.processId + " reaped the references of expired processes "
						+ reaped);
			}
			for (LastRelease release : this.backend.unhandled()) {
				if (this.backend.claim(release.id(), this.processId)) {
					run(release, null);
				}
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Phonon process " + this.processId + " could not complete its heartbeat; will retry", ex);
		}
	}

	/** Releases this process's references through the normal path, then ends its session. */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.heartbeats.shutdownNow();
		try {
			this.heartbeats.awaitTermination(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		Map<String, Integer> remaining = new HashMap<>(this.holders);
		for (Map.Entry<String, Integer> holding : remaining.entrySet()) {
			for (int i = 0; i < holding.getValue(); i++) {
				try {
					leave(holding.getKey()).ifPresent((release) -> runLastRelease(release, null));
				}
				catch (RuntimeException ex) {
					logger.warn("Could not release '" + holding.getKey() + "' while stopping", ex);
				}
			}
		}
		this.closed = true;
		this.backend.endSession(this.processId);
	}

	private void checkOpen() {
		if (this.closed) {
			throw new IllegalStateException("References of process " + this.processId + " are closed");
		}
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

	/** A handler and the resource names it handles. */
	private static final class Registration {

		private final Pattern pattern;

		private final LastReleaseHandler handler;

		Registration(String pattern, LastReleaseHandler handler) {
			String regex = Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
			this.pattern = Pattern.compile(regex, Pattern.DOTALL);
			this.handler = handler;
		}

		boolean matches(String resource) {
			return this.pattern.matcher(resource).matches();
		}

	}

}
