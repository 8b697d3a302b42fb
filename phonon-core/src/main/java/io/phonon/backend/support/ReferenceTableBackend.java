package io.phonon.backend.support;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.phonon.reference.LastRelease;
import io.phonon.reference.ReferenceBackend;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ReferenceBackend} whose whole state is one {@link ReferenceTable}: an engine
 * supplies only where the table lives, how a step gets it to itself, and the clock.
 */
public abstract class ReferenceTableBackend implements ReferenceBackend {

	/**
	 * Runs a step that only reads the table, with no other step running meanwhile.
	 * @param <T> the step's result
	 * @param step the step
	 * @return the step's result
	 */
	protected abstract <T extends @Nullable Object> T read(Function<ReferenceTable, T> step);

	/**
	 * Runs a step that may change the table, with no other step running meanwhile, and
	 * keeps its changes.
	 * @param <T> the step's result
	 * @param step the step
	 * @return the step's result
	 */
	protected abstract <T extends @Nullable Object> T update(Function<ReferenceTable, T> step);

	/**
	 * Returns the engine's clock, in nanoseconds: one clock for every process sharing the
	 * table.
	 * @return now
	 */
	protected abstract long now();

	@Override
	public boolean heartbeat(String process, Duration sessionTimeout) {
		return update((table) -> table.heartbeat(process, sessionTimeout, now()));
	}

	@Override
	public Set<String> heldBy(String process, Collection<String> resources) {
		return read((table) -> table.heldBy(process, resources));
	}

	@Override
	public void endSession(String process) {
		update((table) -> {
			table.endSession(process);
			return null;
		});
	}

	@Override
	public void join(String resource, String process) {
		update((table) -> {
			table.join(resource, process);
			return null;
		});
	}

	@Override
	public Optional<LastRelease> leave(String resource, String process) {
		return update((table) -> table.leave(resource, process, now()));
	}

	@Override
	public long count(String resource) {
		return read((table) -> table.count(resource, now()));
	}

	@Override
	public long markModified(String resource) {
		return update((table) -> table.markModified(resource));
	}

	@Override
	public long timesModified(String resource) {
		return read((table) -> table.timesModified(resource));
	}

	@Override
	public List<String> reapExpiredSessions() {
		return update((table) -> table.reapExpiredSessions(now()));
	}

	@Override
	public List<LastRelease> unhandled() {
		return read((table) -> table.unhandled(now()));
	}

	@Override
	public boolean claim(String id, String process) {
		return update((table) -> table.claim(id, process, now()));
	}

	@Override
	public void complete(String id) {
		update((table) -> {
			table.complete(id);
			return null;
		});
	}

}
