package io.phonon.backend.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.phonon.PhononBackendException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Deletes a table's rows that ended (a lock's expiry, a value's stale window) more than a
 * retention ago, a bounded number at a time, every {@value #EVERY}th write of this
 * instance: a table holds about the rows that live, however many keys passed through, at
 * a cost spread over the writes. The end column is indexed.
 */
final class JdbcSweep {

	private static final Log logger = LogFactory.getLog(JdbcSweep.class);

	/** How many writes of this instance pass between two sweeps. */
	static final int EVERY = 256;

	/**
	 * The most rows one sweep deletes: more than the writes between two sweeps can add.
	 */
	static final int LIMIT = 1000;

	private final DataSource dataSource;

	private final String table;

	private final String sql;

	private final AtomicLong writes = new AtomicLong();

	JdbcSweep(DataSource dataSource, JdbcDialect dialect, String table, String keyColumns, String endColumn,
			Duration retention) {
		this.dataSource = dataSource;
		this.table = table;
		this.sql = dialect.sweep(table, keyColumns, endColumn, retention.toMillis(), LIMIT);
	}

	/**
	 * Counts a write, and sweeps if it is the {@value #EVERY}th. A sweep that fails is
	 * logged, never the write's failure: the rows wait for the next sweep.
	 */
	void written() {
		if (this.writes.incrementAndGet() % EVERY == 0) {
			try {
				sweep();
			}
			catch (PhononBackendException ex) {
				logger.warn("Could not delete the ended rows of " + this.table + "; the next sweep tries again", ex);
			}
		}
	}

	/**
	 * Deletes up to {@value #LIMIT} ended rows.
	 * @return how many were deleted
	 */
	int sweep() {
		try (Connection connection = this.dataSource.getConnection()) {
			if (!connection.getAutoCommit()) {
				connection.setAutoCommit(true);
			}
			try (PreparedStatement statement = connection.prepareStatement(this.sql)) {
				return statement.executeUpdate();
			}
		}
		catch (SQLException ex) {
			throw new PhononBackendException(JdbcBackend.NAME, "delete the ended rows of " + this.table, ex);
		}
	}

}
