package io.phonon.atom;

import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The engine side of shared atoms: what a backend implements. A shared atom is an encoded
 * value with a version, changed only by compare-and-set on the version; the engine keeps
 * the last {@link #HISTORY} changes of each atom, so every process's watches can see
 * every change in order.
 */
public interface AtomBackend extends AutoCloseable {

	/** What {@link #compareAndSet} answers for an atom that does not exist. */
	Versioned MISSING = new Versioned(0, "");

	/**
	 * How many of an atom's latest changes an engine keeps for watchers that fall behind.
	 */
	int HISTORY = 1000;

	/**
	 * Returns the backend's name.
	 * @return the name
	 */
	String name();

	/**
	 * Returns an atom's value, creating the atom with {@code initial} at version 1 if it
	 * does not exist.
	 * @param atom the atom's name
	 * @param initial the encoded first value
	 * @return the current version and value
	 */
	Versioned read(String atom, String initial);

	/**
	 * Sets an atom's value if its version is still {@code expectedVersion}, in one step.
	 * An atom that does not exist (lost with the engine's data: a restart without
	 * persistence, a flush, an eviction) is not set and answers version {@code 0}; the
	 * caller then {@link #read}s it, which makes it again from its initial value. An
	 * engine that can lose data makes such an atom again with a version above every
	 * version it gave before (the Redis engine takes its clock in microseconds), so that
	 * a change made from a value seen before the loss is refused.
	 * @param atom the atom's name
	 * @param expectedVersion the version the new value was made from
	 * @param value the encoded new value
	 * @return the new version and value if it was set; else the current ones (version
	 * {@code 0} for an atom that does not exist), for the next attempt
	 */
	Outcome compareAndSet(String atom, long expectedVersion, String value);

	/**
	 * Returns an atom's changes after {@code version}, oldest first, as far as the engine
	 * keeps them.
	 * @param atom the atom's name
	 * @param version the last version seen
	 * @return the changes
	 */
	List<Versioned> changesSince(String atom, long version);

	/**
	 * Starts telling {@code changed} the names of atoms as they change, where the engine
	 * can (Redis pub/sub, PostgreSQL {@code NOTIFY}); watchers poll besides, so a missed
	 * notice only delays a watch.
	 * @param changed called with an atom's name
	 * @return what stops the notices, or {@code null} if this engine has none (watchers
	 * poll)
	 */
	@Nullable AutoCloseable listen(Consumer<String> changed);

	/** Frees the engine's resources. */
	@Override
	default void close() {
	}

	/**
	 * An atom's value at a version.
	 *
	 * @param version the version
	 * @param value the encoded value
	 */
	record Versioned(long version, String value) {
	}

	/**
	 * What a compare-and-set did.
	 *
	 * @param set whether the value was set
	 * @param current the atom's version and value now
	 */
	record Outcome(boolean set, Versioned current) {
	}

}
