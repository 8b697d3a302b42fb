package io.phonon.backend.support;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.phonon.atom.AtomBackend;
import io.phonon.atom.AtomBackend.Outcome;
import io.phonon.atom.AtomBackend.Versioned;

/**
 * Every shared atom of one namespace as plain data, for engines that keep it in one place
 * and change it under one lock of their own: the memory engine in a JVM, the file engine
 * on one host. Each method is one {@link AtomBackend} step. Not thread-safe: the engine
 * serializes access; {@link #writeTo} and {@link #readFrom} carry the table between
 * processes.
 */
public final class AtomTable {

	private static final int FORMAT = 0x50484131; // "PHA1"

	private final Map<String, ArrayDeque<Versioned>> atoms = new HashMap<>();

	/**
	 * See {@link AtomBackend#read}.
	 * @param atom the atom's name
	 * @param initial the encoded first value
	 * @return the current version and value
	 */
	public Versioned read(String atom, String initial) {
		return history(atom, initial).getLast();
	}

	/**
	 * See {@link AtomBackend#compareAndSet}.
	 * @param atom the atom's name
	 * @param expectedVersion the version the new value was made from
	 * @param value the encoded new value
	 * @return what it did
	 */
	public Outcome compareAndSet(String atom, long expectedVersion, String value) {
		ArrayDeque<Versioned> history = this.atoms.get(atom);
		if (history == null) {
			return new Outcome(false, AtomBackend.MISSING);
		}
		Versioned current = history.getLast();
		if (current.version() != expectedVersion) {
			return new Outcome(false, current);
		}
		Versioned next = new Versioned(expectedVersion + 1, value);
		history.add(next);
		if (history.size() > AtomBackend.HISTORY) {
			history.removeFirst();
		}
		return new Outcome(true, next);
	}

	/**
	 * See {@link AtomBackend#changesSince}.
	 * @param atom the atom's name
	 * @param version the last version seen
	 * @return the changes after it, oldest first
	 */
	public List<Versioned> changesSince(String atom, long version) {
		ArrayDeque<Versioned> history = this.atoms.get(atom);
		return (history != null) ? history.stream().filter((change) -> change.version() > version).toList() : List.of();
	}

	/**
	 * Writes the table, for {@link #readFrom} in this or another process.
	 * @param out where to write
	 * @throws IOException if writing fails
	 */
	public void writeTo(DataOutputStream out) throws IOException {
		out.writeInt(FORMAT);
		out.writeInt(this.atoms.size());
		for (Map.Entry<String, ArrayDeque<Versioned>> atom : this.atoms.entrySet()) {
			TableData.writeString(out, atom.getKey());
			out.writeInt(atom.getValue().size());
			for (Versioned change : atom.getValue()) {
				out.writeLong(change.version());
				TableData.writeString(out, change.value());
			}
		}
	}

	/**
	 * Reads a table that {@link #writeTo} wrote.
	 * @param in where to read
	 * @return the table
	 * @throws IOException if reading fails or the content is not a table
	 */
	public static AtomTable readFrom(DataInputStream in) throws IOException {
		if (in.readInt() != FORMAT) {
			throw new IOException("not a Phonon atom table");
		}
		AtomTable table = new AtomTable();
		for (int i = in.readInt(); i > 0; i--) {
			ArrayDeque<Versioned> history = new ArrayDeque<>();
			table.atoms.put(TableData.readString(in), history);
			for (int j = in.readInt(); j > 0; j--) {
				history.add(new Versioned(in.readLong(), TableData.readString(in)));
			}
		}
		return table;
	}

	private ArrayDeque<Versioned> history(String atom, String initial) {
		return this.atoms.computeIfAbsent(atom, (name) -> {
			ArrayDeque<Versioned> history = new ArrayDeque<>();
			history.add(new Versioned(1, initial));
			return history;
		});
	}

}
