package io.phonon.backend.support;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.phonon.reference.LastRelease;
import io.phonon.reference.ReferenceBackend;

import org.jspecify.annotations.Nullable;

/**
 * The whole reference state of one namespace as plain data, for engines that keep it in
 * one place and change it under one lock of their own: the memory engine in a JVM, the
 * file engine on one host. Each method is one {@link ReferenceBackend} step; {@code now}
 * is the engine's clock in nanoseconds, which must be one clock for every process that
 * shares the table.
 * <p>
 * Not thread-safe: the engine serializes access. {@link #writeTo} and {@link #readFrom}
 * carry the table between processes.
 */
public final class ReferenceTable {

	private static final int FORMAT = 0x50485231; // "PHR1"

	private final String releasePrefix;

	/** Session expiry per process, on the engine's clock. */
	private final Map<String, Long> sessions = new HashMap<>();

	private final Map<String, Set<String>> holders = new HashMap<>();

	/** The inverse of {@link #holders}, so reaping a process visits only what it held. */
	private final Map<String, Set<String>> holdings = new HashMap<>();

	private final Map<String, Long> modifications = new HashMap<>();

	private final Map<String, Delivery> releases = new LinkedHashMap<>();

	private long releaseIds;

	/**
	 * Creates an empty table.
	 * @param releasePrefix the start of every last release's id, such as the engine's
	 * name
	 */
	public ReferenceTable(String releasePrefix) {
		this.releasePrefix = releasePrefix;
	}

	/**
	 * See {@link ReferenceBackend#heartbeat}.
	 * @param process the process id
	 * @param sessionTimeout how long the session lives without another heartbeat
	 * @param now the engine's clock
	 * @return whether the session was live before
	 */
	public boolean heartbeat(String process, Duration sessionTimeout, long now) {
		boolean wasLive = isLive(process, now);
		this.sessions.put(process, now + sessionTimeout.toNanos());
		return wasLive;
	}

	/**
	 * See {@link ReferenceBackend#heldBy}.
	 * @param process the process id
	 * @param resources the resources the process believes it holds
	 * @return those of them it holds here
	 */
	public Set<String> heldBy(String process, Collection<String> resources) {
		Set<String> held = this.holdings.getOrDefault(process, Set.of());
		return resources.stream().filter(held::contains).collect(Collectors.toSet());
	}

	/**
	 * See {@link ReferenceBackend#endSession}.
	 * @param process the process id
	 */
	public void endSession(String process) {
		this.sessions.remove(process);
		reap(Set.of(process));
	}

	/**
	 * See {@link ReferenceBackend#join}.
	 * @param resource the resource
	 * @param process the process id
	 */
	public void join(String resource, String process) {
		this.holders.computeIfAbsent(resource, (k) -> new HashSet<>()).add(process);
		this.holdings.computeIfAbsent(process, (k) -> new HashSet<>()).add(resource);
	}

	/**
	 * See {@link ReferenceBackend#leave}.
	 * @param resource the resource
	 * @param process the process id
	 * @param now the engine's clock
	 * @return the last release, if this emptied the resource
	 */
	public Optional<LastRelease> leave(String resource, String process, long now) {
		Set<String> current = this.holders.get(resource);
		if (current == null || !current.remove(process)) {
			return Optional.empty();
		}
		removeHolding(process, resource);
		for (Iterator<String> it = current.iterator(); it.hasNext();) {
			String other = it.next();
			if (!isLive(other, now)) {
				it.remove();
				removeHolding(other, resource);
			}
		}
		return current.isEmpty() ? Optional.of(emptied(resource, process)) : Optional.empty();
	}

	/**
	 * See {@link ReferenceBackend#count}.
	 * @param resource the resource
	 * @param now the engine's clock
	 * @return the count
	 */
	public long count(String resource, long now) {
		Set<String> current = this.holders.get(resource);
		return (current != null) ? current.stream().filter((process) -> isLive(process, now)).count() : 0L;
	}

	/**
	 * See {@link ReferenceBackend#markModified}.
	 * @param resource the resource
	 * @return the count since the resource was last empty
	 */
	public long markModified(String resource) {
		return this.modifications.merge(resource, 1L, Long::sum);
	}

	/**
	 * See {@link ReferenceBackend#timesModified}.
	 * @param resource the resource
	 * @return the count
	 */
	public long timesModified(String resource) {
		return this.modifications.getOrDefault(resource, 0L);
	}

	/**
	 * See {@link ReferenceBackend#reapExpiredSessions}.
	 * @param now the engine's clock
	 * @return the processes whose sessions this call reaped
	 */
	public List<String> reapExpiredSessions(long now) {
		Set<String> expired = new LinkedHashSet<>();
		this.sessions.keySet().stream().filter((process) -> !isLive(process, now)).forEach(expired::add);
		this.holdings.keySet().stream().filter((process) -> !isLive(process, now)).forEach(expired::add);
		this.sessions.keySet().removeAll(expired);
		reap(expired);
		return List.copyOf(expired);
	}

	/**
	 * See {@link ReferenceBackend#unhandled}.
	 * @param now the engine's clock
	 * @return the last releases waiting for a runner
	 */
	public List<LastRelease> unhandled(long now) {
		return this.releases.values()
			.stream()
			.filter((delivery) -> delivery.runner == null || !isLive(delivery.runner, now))
			.map((delivery) -> delivery.release)
			.toList();
	}

	/**
	 * See {@link ReferenceBackend#claim}.
	 * @param id the last release's id
	 * @param process the process id
	 * @param now the engine's clock
	 * @return whether {@code process} now runs it
	 */
	public boolean claim(String id, String process, long now) {
		Delivery delivery = this.releases.get(id);
		if (delivery == null
				|| (delivery.runner != null && !delivery.runner.equals(process) && isLive(delivery.runner, now))) {
			return false;
		}
		delivery.runner = process;
		return true;
	}

	/**
	 * See {@link ReferenceBackend#complete}.
	 * @param id the last release's id
	 */
	public void complete(String id) {
		this.releases.remove(id);
	}

	/**
	 * Writes the table, for {@link #readFrom} in this or another process.
	 * @param out where to write
	 * @throws IOException if writing fails
	 */
	public void writeTo(DataOutputStream out) throws IOException {
		out.writeInt(FORMAT);
		out.writeLong(this.releaseIds);
		out.writeInt(this.sessions.size());
		for (Map.Entry<String, Long> session : this.sessions.entrySet()) {
			TableData.writeString(out, session.getKey());
			out.writeLong(session.getValue());
		}
		out.writeInt(this.holders.size());
		for (Map.Entry<String, Set<String>> resource : this.holders.entrySet()) {
			TableData.writeString(out, resource.getKey());
			out.writeInt(resource.getValue().size());
			for (String process : resource.getValue()) {
				TableData.writeString(out, process);
			}
		}
		out.writeInt(this.modifications.size());
		for (Map.Entry<String, Long> modified : this.modifications.entrySet()) {
			TableData.writeString(out, modified.getKey());
			out.writeLong(modified.getValue());
		}
		out.writeInt(this.releases.size());
		for (Delivery delivery : this.releases.values()) {
			TableData.writeString(out, delivery.release.id());
			TableData.writeString(out, delivery.release.resource());
			out.writeLong(delivery.release.timesModified());
			TableData.writeString(out, (delivery.runner != null) ? delivery.runner : "");
		}
	}

	/**
	 * Reads a table that {@link #writeTo} wrote.
	 * @param releasePrefix the start of every new last release's id
	 * @param in where to read
	 * @return the table
	 * @throws IOException if reading fails or the content is not a table
	 */
	public static ReferenceTable readFrom(String releasePrefix, DataInputStream in) throws IOException {
		if (in.readInt() != FORMAT) {
			throw new IOException("not a Phonon reference table");
		}
		ReferenceTable table = new ReferenceTable(releasePrefix);
		table.releaseIds = in.readLong();
		for (int i = in.readInt(); i > 0; i--) {
			table.sessions.put(TableData.readString(in), in.readLong());
		}
		for (int i = in.readInt(); i > 0; i--) {
			String resource = TableData.readString(in);
			for (int j = in.readInt(); j > 0; j--) {
				table.join(resource, TableData.readString(in));
			}
		}
		for (int i = in.readInt(); i > 0; i--) {
			table.modifications.put(TableData.readString(in), in.readLong());
		}
		for (int i = in.readInt(); i > 0; i--) {
			Delivery delivery = new Delivery(
					new LastRelease(TableData.readString(in), TableData.readString(in), in.readLong()));
			String runner = TableData.readString(in);
			delivery.runner = runner.isEmpty() ? null : runner;
			table.releases.put(delivery.release.id(), delivery);
		}
		return table;
	}

	/**
	 * Drops the holdings of dead processes; each resource that empties gets an unclaimed
	 * release.
	 */
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
		LastRelease release = new LastRelease(this.releasePrefix + "-" + (++this.releaseIds), resource,
				(modified != null) ? modified : 0);
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

	private boolean isLive(String process, long now) {
		Long expires = this.sessions.get(process);
		return expires != null && now - expires < 0;
	}

	private static final class Delivery {

		final LastRelease release;

		@Nullable String runner;

		Delivery(LastRelease release) {
			this.release = release;
		}

	}

}
