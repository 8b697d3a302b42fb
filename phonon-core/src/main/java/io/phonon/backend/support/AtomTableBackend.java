package io.phonon.backend.support;

import java.util.List;
import java.util.function.Function;

import io.phonon.atom.AtomBackend;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AtomBackend} whose whole state is one {@link AtomTable}: an engine supplies
 * only where the table lives and how a step gets it to itself.
 */
public abstract class AtomTableBackend implements AtomBackend {

	/**
	 * Runs a step that only reads the table, with no other step running meanwhile.
	 * @param <T> the step's result
	 * @param step the step
	 * @return the step's result
	 */
	protected abstract <T extends @Nullable Object> T read(Function<AtomTable, T> step);

	/**
	 * Runs a step that may change the table, with no other step running meanwhile, and
	 * keeps its changes.
	 * @param <T> the step's result
	 * @param step the step
	 * @return the step's result
	 */
	protected abstract <T extends @Nullable Object> T update(Function<AtomTable, T> step);

	/**
	 * Tells listeners in this process that an atom changed; engines whose other processes
	 * poll need do nothing more.
	 * @param atom the atom's name
	 */
	protected abstract void changed(String atom);

	@Override
	public Versioned read(String atom, String initial) {
		return update((table) -> table.read(atom, initial));
	}

	@Override
	public Outcome compareAndSet(String atom, long expectedVersion, String value) {
		Outcome outcome = update((table) -> table.compareAndSet(atom, expectedVersion, value));
		if (outcome.set()) {
			changed(atom);
		}
		return outcome;
	}

	@Override
	public List<Versioned> changesSince(String atom, long version) {
		return read((table) -> table.changesSince(atom, version));
	}

}
