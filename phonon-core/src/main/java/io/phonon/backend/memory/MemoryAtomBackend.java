package io.phonon.backend.memory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

import io.phonon.backend.support.AtomTable;
import org.jspecify.annotations.Nullable;
import io.phonon.backend.support.AtomTableBackend;

/**
 * Shared atoms of this JVM: one {@link AtomTable} under one lock; listeners told at once.
 */
final class MemoryAtomBackend extends AtomTableBackend {

	private final LockedTable<AtomTable> table = new LockedTable<>(new AtomTable());

	private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

	@Override
	public String name() {
		return MemoryBackend.NAME;
	}

	@Override
	protected <T extends @Nullable Object> T read(Function<AtomTable, T> step) {
		return update(step);
	}

	@Override
	protected <T extends @Nullable Object> T update(Function<AtomTable, T> step) {
		return this.table.apply(step);
	}

	@Override
	protected void changed(String atom) {
		this.listeners.forEach((listener) -> listener.accept(atom));
	}

	@Override
	public AutoCloseable listen(Consumer<String> changed) {
		this.listeners.add(changed);
		return () -> this.listeners.remove(changed);
	}

}
