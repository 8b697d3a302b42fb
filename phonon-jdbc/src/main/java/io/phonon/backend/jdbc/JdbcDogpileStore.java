package io.phonon.backend.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Duration;

import javax.sql.DataSource;

import io.phonon.PhononBackendException;
import io.phonon.dogpile.DogpileStore;
import io.phonon.dogpile.PayloadForm;
import io.phonon.dogpile.StoredValue;
import org.jspecify.annotations.Nullable;

import static io.phonon.backend.jdbc.JdbcStatements.query;
import static io.phonon.backend.jdbc.JdbcStatements.update;

/**
 * Dogpile values as rows of {@code <prefix>dogpile}, shared by the cluster, keyed by the
 * SHA-256 of namespace, cache and key; freshness and the stale window in database time.
 * Each step is one auto-committed statement (a write is an update, or an insert where
 * there was no row). Rows past their stale window are deleted by a {@link JdbcSweep} of
 * the writes.
 */
final class JdbcDogpileStore implements DogpileStore<String> {

	private final DataSource dataSource;

	private final String namespace;

	private final JdbcDialect dialect;

	private final String table;

	private final JdbcSweep sweep;

	JdbcDogpileStore(DataSource dataSource, String namespace, String tablePrefix, boolean initializeSchema) {
		this.dialect = JdbcSchema.prepare(dataSource, tablePrefix, initializeSchema);
		this.dataSource = dataSource;
		this.namespace = namespace;
		this.table = tablePrefix + "dogpile";
		this.sweep = new JdbcSweep(dataSource, this.dialect, this.table, "cache_key, entry_key", "stale_until",
				Duration.ZERO);
	}

	/** Deletes rows past their stale window, a bounded number at a time. */
	int sweep() {
		return this.sweep.sweep();
	}

	@Override
	public String name() {
		return JdbcBackend.NAME;
	}

	@Override
	public PayloadForm<String> payloadForm() {
		return PayloadForm.ENCODED;
	}

	@Override
	public @Nullable StoredValue<String> get(String cache, String key) {
		String now = this.dialect.now();
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection
					.prepareStatement("SELECT entry_value, compute_nanos, fresh_until, " + now + " FROM " + this.table
							+ " WHERE cache_key = ? AND entry_key = ? AND (stale_until IS NULL OR stale_until > " + now
							+ ")")) {
			statement.setString(1, cacheKey(cache));
			statement.setString(2, entryKey(cache, key));
			try (ResultSet row = statement.executeQuery()) {
				if (!row.next()) {
					return null;
				}
				Duration fresh = Duration.between(row.getTimestamp(4).toInstant(), row.getTimestamp(3).toInstant());
				return new StoredValue<>(row.getString(1), Math.max(fresh.toNanos(), 0), row.getLong(2));
			}
		}
		catch (SQLException ex) {
			throw failure("read", cache, key, ex);
		}
	}

	@Override
	public void put(String cache, String key, String payload, long computeNanos, Duration expireAfter,
			@Nullable Duration maxStale) {
		long fresh = this.dialect.lease(expireAfter);
		long stale = (maxStale != null) ? this.dialect.lease(expireAfter.plus(maxStale)) : -1;
		String staleUntil = "CASE WHEN ? < 0 THEN NULL ELSE " + this.dialect.nowPlusLease() + " END";
		this.sweep.written();
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(true);
			if (update(connection,
					"UPDATE " + this.table + " SET entry_value = ?, compute_nanos = ?, fresh_until = "
							+ this.dialect.nowPlusLease() + ", stale_until = " + staleUntil
							+ " WHERE cache_key = ? AND entry_key = ?",
					payload, computeNanos, fresh, stale, stale, cacheKey(cache), entryKey(cache, key)) == 1) {
				return;
			}
			try {
				update(connection,
						"INSERT INTO " + this.table + " (entry_key, cache_key, entry_value, compute_nanos,"
								+ " fresh_until, stale_until) VALUES (?, ?, ?, ?, " + this.dialect.nowPlusLease() + ", "
								+ staleUntil + ")",
						entryKey(cache, key), cacheKey(cache), payload, computeNanos, fresh, stale, stale);
			}
			catch (SQLException ex) {
				if (!isDuplicate(ex)) {
					throw ex;
				}
				// Another writer inserted the row first: this newer value replaces it.
				put(cache, key, payload, computeNanos, expireAfter, maxStale);
			}
		}
		catch (SQLException ex) {
			throw failure("write", cache, key, ex);
		}
	}

	@Override
	public void expire(String cache, String key) {
		String now = this.dialect.now();
		execute("expire", cache, key,
				"UPDATE " + this.table + " SET fresh_until = " + now
						+ " WHERE cache_key = ? AND entry_key = ? AND fresh_until > " + now,
				cacheKey(cache), entryKey(cache, key));
	}

	@Override
	public void invalidate(String cache, String key) {
		execute("invalidate", cache, key, "DELETE FROM " + this.table + " WHERE cache_key = ? AND entry_key = ?",
				cacheKey(cache), entryKey(cache, key));
	}

	@Override
	public long size(String cache) {
		try (Connection connection = this.dataSource.getConnection()) {
			return ((Number) query(connection, "SELECT COUNT(*) FROM " + this.table
					+ " WHERE cache_key = ? AND (stale_until IS NULL OR stale_until > " + this.dialect.now() + ")",
					cacheKey(cache))
				.get(0)[0]).longValue();
		}
		catch (SQLException ex) {
			throw failure("count the values of", cache, "", ex);
		}
	}

	private void execute(String operation, String cache, String key, String sql, Object... parameters) {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(true);
			update(connection, sql, parameters);
		}
		catch (SQLException ex) {
			throw failure(operation, cache, key, ex);
		}
	}

	private String cacheKey(String cache) {
		return JdbcSchema.key(this.namespace, cache);
	}

	private String entryKey(String cache, String key) {
		return JdbcSchema.key(this.namespace, cache.length() + ":" + cache + ":" + key);
	}

	private static boolean isDuplicate(SQLException ex) {
		return ex instanceof SQLIntegrityConstraintViolationException || "23505".equals(ex.getSQLState())
				|| "23000".equals(ex.getSQLState());
	}

	private static PhononBackendException failure(String operation, String cache, String key, SQLException ex) {
		return new PhononBackendException(JdbcBackend.NAME, operation + " dogpile cache '" + cache + "' key '"
				+ ((key.length() <= 200) ? key : key.substring(0, 200) + "...") + "'", ex);
	}

}
