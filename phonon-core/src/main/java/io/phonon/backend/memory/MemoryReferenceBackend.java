package io.phonon.backend.memory;

import java.util.function.Function;

import io.phonon.backend.support.ReferenceTable;
import org.jspecify.annotations.Nullable;
import io.phonon.backend.support.ReferenceTableBackend;

/**
 * References in this JVM: one {@link ReferenceTable}, every step under one lock, time on
 * the monotonic clock. Processes here are {@code References} instances of one JVM (tests
 * use several to stand for processes).
 */
final class MemoryReferenceBackend extends ReferenceTableBackend {

	private final LockedTable<ReferenceTable> table = new LockedTable<>(new ReferenceTable(MemoryBackend.NAME));

	@Override
	public String name() {
		return MemoryBackend.NAME;
	}

	@Override
	protected <T extends @Nullable Object> T read(Function<ReferenceTable, T> step) {
		return update(step);
	}

	@Override
	protected <T extends @Nullable Object> T update(Function<ReferenceTable, T> step) {
		return this.table.apply(step);
	}

	@Override
	protected long now() {
		return System.nanoTime();
	}

}
