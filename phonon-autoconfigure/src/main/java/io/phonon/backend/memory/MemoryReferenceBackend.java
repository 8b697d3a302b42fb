package io.phonon.backend.memory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.phonon.reference.LastRelease;
import io.phonon.reference.ReferenceBackend;
import org.jspecify.annotations.Nullable;

/**
 * References in this JVM: every step under one lock, time on the monotonic clock. Processes
 * here are {@code References} instances of one JVM (tests use several to stand for processes).
 */
final class MemoryReferenceBackend implements ReferenceBackend {

	private final ReentrantLock lock = new ReentrantLock();

	/** Session expiry per process, in {@link System#nanoTime()}. */
	private final Map<String, Long> sessions = new HashMap<>();

	private final Map<String, Set<String>> holders = new HashMap<>();

	private final Map<String, Set<String>> holdings = new HashMap<>();

	private final Map<String, Long> modifications = new HashMap<>();

	private final Map<String, Delivery> releases = new LinkedHashMap<>();

	private long releaseIds;

	@Override
	public String name() {
		return MemoryBackend.NAME;
	}

	@Override
	public void heartbeat(String process, Duration sessionTimeout) {
		locked(() -> this.sessions.put(process, System.nanoTime() + sessionTimeout.toNanos()));
	}

	@Override
	public void endSession(String process) {
		locked(() -> {
			this.sessions.remove(process);
			reap(Set.of(process));
			return null;
		});
	}

	@Override
	public void join(String resource, String process) {
		locked(() -> {
			this.holders.computeIfAbsent(resource, (k) -> new HashSet<>()).add(process);
			return this.holdings.computeIfAbsent(process, (k) -> new HashSet<>()).add(resource);
		});
	}

	@Override
	public Optional<LastRelease> leave(String resource, String process) {
		return locked(() -> {
			Set<String> current = this.holders.get(resource);
			if (current == null || !current.remove(process)) {
				return Optional.empty();
			}
			removeHolding(process, resource);
			for (Iterator<String> it = current.iterator(); it.hasNext();) {
				String other = it.next();
				if (!isLive(other)) {
					it.remove();
					removeHolding(other, resource);
				}
			}
			return current.isEmpty() ? Optional.of(emptied(resource, process)) : Optional.empty();
		});
	}

	@Override
	public long count(String resource) {
		return locked(() -> {
			Set<String> current = this.holders.get(resource);
			return (current != null) ? current.stream().filter(this::isLive).count() : 0L;
		});
	}

	@Override
	public long markModified(String resource) {
		return locked(() -> this.modifications.merge(resource, 1L, Long::sum));
	}

	@Override
	public long timesModified(String resource) {
		return locked(() -> this.modifications.getOrDefault(resource, 0L));
	}

	@Override
	public List<String> reapExpiredSessions() {
		return locked(() -> {
			Set<String> expired = new LinkedHashSet<>();
			this.sessions.keySet().stream().filter((process) -> !isLive(process)).forEach(expired::add);
			this.holdings.keySet().stream().filter((process) -> !isLive(process)).forEach(expired::add);
			this.sessions.keySet().removeAll(expired);
			reap(expired);
			return List.copyOf(expired);
		});
	}

	@Override
	public List<LastRelease> unhandled() {
		return locked(() -> this.releases.values()
			.stream()
			.filter((delivery) -> delivery.runner == null || !isLive(delivery.runner))
			.map((delivery) -> delivery.release)
			.toList());
	}

	@Override
	public boolean claim(String id, String process) {
		return locked(() -> {
			Delivery delivery = this.releases.get(id);
			if (delivery == null || (delivery.runner != null && !delivery.runner.equals(process) && isLive(delivery.runner))) {
				return false;
			}
			delivery.runner = process;
			return true;
		});
	}

	@Override
	public void complete(String id) {
		locked(() -> this.releases.remove(id));
	}

	/** Drops the holdings of dead processes; each resource that empties gets an unclaimed release. */
	private void reap(Set<String> processes) {
		for (String process : processes) {
			Set<String> resources = this.holdings.remove(process);
			if (resources == null) {
				continue;
			}
			for (String resource : resources) {
				Set<String> current = this.holders.get(resource);
				if (current != null && current.remove(process) && current.isEmpty()) {
					emptied(resource, null);
				}
			}
		}
	}

	private LastRelease emptied(String resource, @Nullable String runner) {
		this.holders.remove(resource);
		Long modified = this.modifications.remove(resource);
		LastRelease release = new LastRelease("memory-" + (++this.releaseIds), resource, (modified != null) ? modified : 0);
		Delivery delivery = new Delivery(release);
		delivery.runner = runner;
		this.releases.put(release.id(), delivery);
		return release;
	}

	private void removeHolding(String process, String resource) {
		Set<String> resources = this.holdings.get(process);
		if (resources != null && resources.remove(resource) && resources.isEmpty()) {
			this.holdings.remove(process);
		}
	}

	private boolean isLive(String process) {
		Long expires = this.sessions.get(process);
		return expires != null && System.nanoTime() - expires < 0;
	}

	private <T> T locked(Supplier<T> step) {
		this.lock.lock();
		try {
			return step.get();
		}
		finally {
			this.lock.unlock();
		}
	}

	private static final class Delivery {

		final LastRelease release;

		@Nullable String runner;

		Delivery(LastRelease release) {
			this.release = release;
		}

	}

}
