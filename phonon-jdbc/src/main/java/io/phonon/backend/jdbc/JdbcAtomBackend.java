package io.phonon.backend.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;

import javax.sql.DataSource;

import io.phonon.PhononBackendException;
import io.phonon.atom.AtomBackend;
import org.jspecify.annotations.Nullable;

import static io.phonon.backend.jdbc.JdbcStatements.query;
import static io.phonon.backend.jdbc.JdbcStatements.update;

/**
 * Shared atoms in a database: a row of {@code <prefix>atoms} per atom (version, value),
 * and its last {@link AtomBackend#HISTORY} changes in {@code <prefix>atom_changes}. A
 * compare-and-set is one transaction: an update on the version, the change's row, and on
 * PostgreSQL a {@code NOTIFY}; elsewhere watchers poll.
 */
final class JdbcAtomBackend implements AtomBackend {

	private final DataSource dataSource;

	private final String namespace;

	private final JdbcDialect dialect;

	private final String atoms;

	private final String changes;

	private final String channel;

	JdbcAtomBackend(DataSource dataSource, String namespace, String tablePrefix, boolean initializeSchema) {
		this.dialect = JdbcSchema.prepare(dataSource, tablePrefix, initializeSchema);
		this.dataSource = dataSource;
		this.namespace = namespace;
		this.atoms = tablePrefix + "atoms";
		this.changes = tablePrefix + "atom_changes";
		this.channel = "phonon_" + JdbcSchema.sha256(namespace + ":" + this.atoms).substring(0, 24);
	}

	@Override
	public String name() {
		return JdbcBackend.NAME;
	}

	@Override
	public Versioned read(String atom, String initial) {
		return transaction("read", atom, (connection) -> {
			Versioned current = current(connection, atom);
			if (current != null) {
				return current;
			}
			try {
				update(connection,
						"INSERT INTO " + this.atoms + " (atom_key, atom, version, atom_value) VALUES (?, ?, 1, ?)",
						key(atom), JdbcSchema.storable(atom), initial);
				return new Versioned(1, initial);
			}
			catch (SQLException ex) {
				connection.rollback();
				// Created meanwhile by another process: its first value stands.
				Versioned created = current(connection, atom);
				if (created == null) {
					throw ex;
				}
				return created;
			}
		});
	}

	@Override
	public Outcome compareAndSet(String atom, long expectedVersion, String value) {
		return transaction("change", atom, (connection) -> {
			if (update(connection, "UPDATE " + this.atoms
					+ " SET version = version + 1, atom_value = ? WHERE atom_key = ?" + " AND version = ?", value,
					key(atom), expectedVersion) == 0) {
				Versioned current = current(connection, atom);
				return new Outcome(false, (current != null) ? current : MISSING);
			}
			long version = expectedVersion + 1;
			update(connection, "INSERT INTO " + this.changes + " (atom_key, version, atom_value) VALUES (?, ?, ?)",
					key(atom), version, value);
			update(connection, "DELETE FROM " + this.changes + " WHERE atom_key = ? AND version <= ?", key(atom),
					version - HISTORY);
			if (this.dialect.releaseNotifies()) {
				query(connection, "SELECT pg_notify(?, ?)", this.channel, atom);
			}
			return new Outcome(true, new Versioned(version, value));
		});
	}

	@Override
	public List<Versioned> changesSince(String atom, long version) {
		// A plain read: no transaction to open and commit on every poll of every watcher.
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(true);
			return query(connection,
					"SELECT version, atom_value FROM " + this.changes
							+ " WHERE atom_key = ? AND version > ? ORDER BY version",
					key(atom), version)
				.stream()
				.map((row) -> new Versioned(((Number) row[0]).longValue(), (String) row[1]))
				.toList();
		}
		catch (SQLException ex) {
			throw failure("read the changes of", atom, ex);
		}
	}

	@Override
	public @Nullable AutoCloseable listen(Consumer<String> changed) {
		return this.dialect.releaseNotifies() ? new PostgresNotices(this.dataSource, this.channel, changed) : null;
	}

	private @Nullable Versioned current(Connection connection, String atom) throws SQLException {
		List<Object[]> rows = query(connection, "SELECT version, atom_value FROM " + this.atoms + " WHERE atom_key = ?",
				key(atom));
		return rows.isEmpty() ? null : new Versioned(((Number) rows.get(0)[0]).longValue(), (String) rows.get(0)[1]);
	}

	private String key(String atom) {
		return JdbcSchema.key(this.namespace, atom);
	}

	private <T extends @Nullable Object> T transaction(String operation, String atom, Step<T> step) {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try {
				T result = step.run(connection);
				connection.commit();
				return result;
			}
			catch (SQLException | RuntimeException ex) {
				connection.rollback();
				throw ex;
			}
		}
		catch (SQLException ex) {
			throw failure(operation, atom, ex);
		}
	}

	private static PhononBackendException failure(String operation, String atom, SQLException ex) {
		return new PhononBackendException(JdbcBackend.NAME, operation + " shared atom '" + atom + "'", ex);
	}

	@FunctionalInterface
	private interface Step<T extends @Nullable Object> {

		T run(Connection connection) throws SQLException;

	}

}
