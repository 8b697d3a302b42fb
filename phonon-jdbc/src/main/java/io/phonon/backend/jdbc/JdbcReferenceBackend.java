package io.phonon.backend.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.phonon.PhononBackendException;
import io.phonon.reference.LastRelease;
import io.phonon.reference.ReferenceBackend;
import org.jspecify.annotations.Nullable;

import static io.phonon.backend.jdbc.JdbcStatements.query;
import static io.phonon.backend.jdbc.JdbcStatements.update;

/**
 * References in a database. Every step that changes anything is one transaction that
 * first locks its namespace's row ({@code SELECT ... FOR UPDATE}), so a namespace's steps
 * run one at a time in the database, whichever process sends them: the same discipline as
 * the memory engine's lock, with the database's clock. Reads need no lock.
 */
final class JdbcReferenceBackend implements ReferenceBackend {

	private final DataSource dataSource;

	/**
	 * Where heartbeats, reaping and last-release bookkeeping run, apart from the
	 * application's work.
	 */
	private final DataSource maintenance;

	private final JdbcDialect dialect;

	private final String namespaceKey;

	private final String namespaces;

	private final String sessions;

	private final String resources;

	private final String holders;

	private final String releases;

	/** A session that is live now, as a condition on a column naming a process. */
	private final String liveSession;

	JdbcReferenceBackend(DataSource dataSource, DataSource maintenance, String namespace, String tablePrefix,
			boolean initializeSchema) {
		this.dialect = JdbcSchema.prepare(dataSource, tablePrefix, initializeSchema);
		this.dataSource = dataSource;
		this.maintenance = maintenance;
		this.namespaceKey = JdbcSchema.sha256(namespace);
		this.namespaces = tablePrefix + "ref_namespaces";
		this.sessions = tablePrefix + "ref_sessions";
		this.resources = tablePrefix + "ref_resources";
		this.holders = tablePrefix + "ref_holders";
		this.releases = tablePrefix + "ref_releases";
		this.liveSession = "EXISTS (SELECT 1 FROM " + this.sessions + " s WHERE s.namespace_key = ? AND s.process = %s"
				+ " AND s.expires_at > " + this.dialect.now() + ")";
		try {
			transaction(this.dataSource, "register namespace", namespace, (connection) -> null);
		}
		catch (PhononBackendException ex) {
			throw new PhononBackendException(JdbcBackend.NAME,
					"use the reference tables " + tablePrefix + "ref_*"
							+ " (create them from io/phonon/backend/jdbc/schema-" + this.dialect.platform()
							+ ".sql, or set phonon.jdbc.initialize-schema=always)",
					ex.getCause());
		}
	}

	@Override
	public String name() {
		return JdbcBackend.NAME;
	}

	@Override
	public boolean heartbeat(String process, Duration sessionTimeout) {
		return transaction(this.maintenance, "extend the session of", process, (connection) -> {
			long lease = this.dialect.lease(sessionTimeout);
			String extend = "UPDATE " + this.sessions + " SET expires_at = " + this.dialect.nowPlusLease()
					+ " WHERE namespace_key = ? AND process = ?";
			if (update(connection, extend + " AND expires_at > " + this.dialect.now(), lease, this.namespaceKey,
					process) == 1) {
				return true;
			}
			if (update(connection, extend, lease, this.namespaceKey, process) == 0) {
				update(connection, "INSERT INTO " + this.sessions
						+ " (namespace_key, process, expires_at) VALUES (?, ?, " + this.dialect.nowPlusLease() + ")",
						this.namespaceKey, process, lease);
			}
			return false;
		});
	}

	@Override
	public Set<String> heldBy(String process, Collection<String> resources) {
		try (Connection connection = connection(this.maintenance, true)) {
			Set<Object> keys = new HashSet<>();
			for (Object[] row : query(connection,
					"SELECT resource_key FROM " + this.holders + " WHERE namespace_key = ? AND process = ?",
					this.namespaceKey, process)) {
				keys.add(row[0]);
			}
			return resources.stream()
				.filter((resource) -> keys.contains(JdbcSchema.sha256(resource)))
				.collect(Collectors.toSet());
		}
		catch (SQLException ex) {
			throw failure("find the holdings of", process, ex);
		}
	}

	@Override
	public void endSession(String process) {
		transaction(this.maintenance, "end the session of", process, (connection) -> {
			update(connection, "DELETE FROM " + this.sessions + " WHERE namespace_key = ? AND process = ?",
					this.namespaceKey, process);
			reap(connection, process);
			return null;
		});
	}

	@Override
	public void join(String resource, String process) {
		transaction(this.dataSource, "acquire a reference to", resource, (connection) -> {
			String resourceKey = JdbcSchema.sha256(resource);
			if (query(connection, "SELECT 1 FROM " + this.resources + " WHERE namespace_key = ? AND resource_key = ?",
					this.namespaceKey, resourceKey)
				.isEmpty()) {
				update(connection,
						"INSERT INTO " + this.resources
								+ " (namespace_key, resource_key, resource, times) VALUES (?, ?, ?, 0)",
						this.namespaceKey, resourceKey, JdbcSchema.storable(resource));
			}
			if (query(connection,
					"SELECT 1 FROM " + this.holders + " WHERE namespace_key = ? AND resource_key = ? AND process = ?",
					this.namespaceKey, resourceKey, process)
				.isEmpty()) {
				update(connection,
						"INSERT INTO " + this.holders + " (namespace_key, resource_key, process) VALUES (?, ?, ?)",
						this.namespaceKey, resourceKey, process);
			}
			return null;
		});
	}

	@Override
	public Optional<LastRelease> leave(String resource, String process) {
		return transaction(this.dataSource, "release a reference to", resource, (connection) -> {
			String resourceKey = JdbcSchema.sha256(resource);
			if (update(connection,
					"DELETE FROM " + this.holders + " WHERE namespace_key = ? AND resource_key = ? AND process = ?",
					this.namespaceKey, resourceKey, process) == 0) {
				return Optional.<LastRelease>empty();
			}
			update(connection,
					"DELETE FROM " + this.holders + " WHERE namespace_key = ? AND resource_key = ? AND NOT "
							+ this.liveSession.formatted(this.holders + ".process"),
					this.namespaceKey, resourceKey, this.namespaceKey);
			return emptiedIfNoHolder(connection, resourceKey, process);
		});
	}

	@Override
	public long count(String resource) {
		return read("count the holders of", resource,
				"SELECT COUNT(*) FROM " + this.holders + " h WHERE h.namespace_key = ? AND h.resource_key = ? AND "
						+ this.liveSession.formatted("h.process"),
				this.namespaceKey, JdbcSchema.sha256(resource), this.namespaceKey);
	}

	@Override
	public long markModified(String resource) {
		return transaction(this.dataSource, "mark modified", resource, (connection) -> {
			String resourceKey = JdbcSchema.sha256(resource);
			if (update(connection,
					"UPDATE " + this.resources + " SET times = times + 1 WHERE namespace_key = ? AND resource_key = ?",
					this.namespaceKey, resourceKey) == 0) {
				update(connection,
						"INSERT INTO " + this.resources
								+ " (namespace_key, resource_key, resource, times) VALUES (?, ?, ?, 1)",
						this.namespaceKey, resourceKey, JdbcSchema.storable(resource));
			}
			return times(connection, resourceKey);
		});
	}

	@Override
	public long timesModified(String resource) {
		return read("read the modifications of", resource,
				"SELECT COALESCE(MAX(times), 0) FROM " + this.resources
						+ " WHERE namespace_key = ? AND resource_key = ?",
				this.namespaceKey, JdbcSchema.sha256(resource));
	}

	@Override
	public List<String> reapExpiredSessions() {
		return transaction(this.maintenance, "reap expired sessions in", "", (connection) -> {
			List<String> dead = new ArrayList<>();
			for (Object[] row : query(connection, "SELECT process FROM " + this.sessions
					+ " WHERE namespace_key = ? AND expires_at <= " + this.dialect.now(), this.namespaceKey)) {
				dead.add((String) row[0]);
			}
			update(connection,
					"DELETE FROM " + this.sessions + " WHERE namespace_key = ? AND expires_at <= " + this.dialect.now(),
					this.namespaceKey);
			for (Object[] row : query(
					connection, "SELECT DISTINCT h.process FROM " + this.holders
							+ " h WHERE h.namespace_key = ? AND NOT " + this.liveSession.formatted("h.process"),
					this.namespaceKey, this.namespaceKey)) {
				if (!dead.contains((String) row[0])) {
					dead.add((String) row[0]);
				}
			}
			for (String process : dead) {
				reap(connection, process);
			}
			return dead;
		});
	}

	@Override
	public List<LastRelease> unhandled() {
		try (Connection connection = connection(this.maintenance, true)) {
			List<LastRelease> waiting = new ArrayList<>();
			for (Object[] row : query(connection,
					"SELECT r.id, r.resource, r.times FROM " + this.releases
							+ " r WHERE r.namespace_key = ? AND (r.runner IS NULL OR NOT "
							+ this.liveSession.formatted("r.runner") + ")",
					this.namespaceKey, this.namespaceKey)) {
				waiting.add(new LastRelease((String) row[0], (String) row[1], ((Number) row[2]).longValue()));
			}
			return waiting;
		}
		catch (SQLException ex) {
			throw failure("find unhandled last releases in", "", ex);
		}
	}

	@Override
	public boolean claim(String id, String process) {
		return transaction(this.maintenance, "claim last release " + id + " in", "",
				(connection) -> update(connection,
						"UPDATE " + this.releases
								+ " SET runner = ? WHERE namespace_key = ? AND id = ? AND (runner IS NULL OR runner = ?"
								+ " OR NOT " + this.liveSession.formatted(this.releases + ".runner") + ")",
						process, this.namespaceKey, id, process, this.namespaceKey) == 1);
	}

	@Override
	public void complete(String id) {
		transaction(this.maintenance, "complete last release " + id + " in", "", (connection) -> update(connection,
				"DELETE FROM " + this.releases + " WHERE namespace_key = ? AND id = ?", this.namespaceKey, id));
	}

	/**
	 * Drops every holding of a dead process; each resource this empties gets an unclaimed
	 * release.
	 */
	private void reap(Connection connection, String process) throws SQLException {
		List<Object[]> held = query(connection,
				"SELECT resource_key FROM " + this.holders + " WHERE namespace_key = ? AND process = ?",
				this.namespaceKey, process);
		update(connection, "DELETE FROM " + this.holders + " WHERE namespace_key = ? AND process = ?",
				this.namespaceKey, process);
		for (Object[] row : held) {
			emptiedIfNoHolder(connection, (String) row[0], null);
		}
	}

	private Optional<LastRelease> emptiedIfNoHolder(Connection connection, String resourceKey, @Nullable String runner)
			throws SQLException {
		if (!query(connection, "SELECT 1 FROM " + this.holders + " WHERE namespace_key = ? AND resource_key = ?",
				this.namespaceKey, resourceKey)
			.isEmpty()) {
			return Optional.empty();
		}
		List<Object[]> resource = query(connection,
				"SELECT resource, times FROM " + this.resources + " WHERE namespace_key = ? AND resource_key = ?",
				this.namespaceKey, resourceKey);
		if (resource.isEmpty()) {
			return Optional.empty();
		}
		update(connection, "DELETE FROM " + this.resources + " WHERE namespace_key = ? AND resource_key = ?",
				this.namespaceKey, resourceKey);
		LastRelease release = new LastRelease(UUID.randomUUID().toString(), (String) resource.get(0)[0],
				((Number) resource.get(0)[1]).longValue());
		update(connection,
				"INSERT INTO " + this.releases + " (namespace_key, id, resource, times, runner)"
						+ " VALUES (?, ?, ?, ?, ?)",
				this.namespaceKey, release.id(), release.resource(), release.timesModified(), runner);
		return Optional.of(release);
	}

	private long times(Connection connection, String resourceKey) throws SQLException {
		return ((Number) query(connection,
				"SELECT times FROM " + this.resources + " WHERE namespace_key = ? AND resource_key = ?",
				this.namespaceKey, resourceKey)
			.get(0)[0]).longValue();
	}

	/**
	 * Runs a step as one transaction holding the namespace's row lock, on a connection of
	 * {@code source}.
	 */
	private <T extends @Nullable Object> T transaction(DataSource source, String operation, String subject,
			Step<T> step) {
		try (Connection connection = connection(source, false)) {
			try {
				if (update(connection,
						"UPDATE " + this.namespaces + " SET namespace_key = namespace_key" + " WHERE namespace_key = ?",
						this.namespaceKey) == 0) {
					insertNamespace(connection);
				}
				T result = step.run(connection);
				connection.commit();
				return result;
			}
			catch (SQLException | RuntimeException ex) {
				connection.rollback();
				throw ex;
			}
			finally {
				connection.setAutoCommit(true);
			}
		}
		catch (SQLException ex) {
			throw failure(operation, subject, ex);
		}
	}

	/**
	 * The namespace's first step creates its row; a racing first step of another process
	 * may win.
	 */
	private void insertNamespace(Connection connection) throws SQLException {
		try {
			update(connection, "INSERT INTO " + this.namespaces + " (namespace_key) VALUES (?)", this.namespaceKey);
		}
		catch (SQLException ex) {
			connection.rollback();
			update(connection,
					"UPDATE " + this.namespaces + " SET namespace_key = namespace_key WHERE namespace_key = ?",
					this.namespaceKey);
		}
	}

	private long read(String operation, String subject, String sql, Object... parameters) {
		try (Connection connection = connection(this.dataSource, true)) {
			return ((Number) query(connection, sql, parameters).get(0)[0]).longValue();
		}
		catch (SQLException ex) {
			throw failure(operation, subject, ex);
		}
	}

	private static Connection connection(DataSource source, boolean autoCommit) throws SQLException {
		Connection connection = source.getConnection();
		connection.setAutoCommit(autoCommit);
		return connection;
	}

	private static PhononBackendException failure(String operation, String subject, SQLException ex) {
		return new PhononBackendException(JdbcBackend.NAME, operation + " '" + subject + "'", ex);
	}

	@FunctionalInterface
	private interface Step<T extends @Nullable Object> {

		T run(Connection connection) throws SQLException;

	}

}
