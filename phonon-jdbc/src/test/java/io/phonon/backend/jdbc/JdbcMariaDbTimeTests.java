package io.phonon.backend.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import javax.sql.rowset.CachedRowSet;
import javax.sql.rowset.RowSetProvider;

import com.zaxxer.hikari.HikariDataSource;
import io.phonon.lock.Lease;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import io.phonon.testsupport.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Time on MariaDB: leases of a year and of the longest accepted are held in strict and
 * non-strict SQL modes (a {@code TIMESTAMP} ends in 2038: strict mode refused a lease
 * past it, and non-strict stored it as 0, letting a second owner in), and tables made
 * with {@code TIMESTAMP(6)} expiries are converted, or refused with the statements to
 * run.
 */
class JdbcMariaDbTimeTests {

	private static final Duration YEAR = Duration.ofDays(365);

	@ParameterizedTest
	@CsvSource({ "STRICT_TRANS_TABLES, 365", "'', 365", "STRICT_TRANS_TABLES, 7300", "'', 7300" })
	void longLeasesAreHeldToTheirEndInEverySqlMode(String sqlMode, long days) throws Exception {
		String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + "_";
		try (HikariDataSource dataSource = TestDatabases
			.pool(TestDatabases.mariadbUrl() + "&sessionVariables=sql_mode='" + sqlMode + "'")) {
			try (LockBackend backend = JdbcBackend.locks(dataSource, "year", prefix, true)) {
				LockService first = LockService.builder(backend).build();
				LockService second = LockService.builder(backend).build();
				try (Lease held = first.acquire("long", LockOptions.defaults().withLease(Duration.ofDays(days)))) {
					assertThat(second.tryAcquire("long", LockOptions.defaults())).as("a second owner").isEmpty();
					assertThat(held.isValid()).isTrue();
					assertThat(daysLeft(dataSource, prefix + "locks")).as("days until the row expires")
						.isEqualTo(days - 1);
				}
			}
			finally {
				TestDatabases.dropTables(dataSource, prefix);
			}
		}
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void tablesWithTimestampExpiriesAreConvertedOrRefusedWithTheStatements(boolean initializeSchema) throws Exception {
		String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + "_";
		try (HikariDataSource dataSource = TestDatabases.pool(TestDatabases.mariadbUrl())) {
			try {
				execute(dataSource,
						"CREATE TABLE " + prefix + "locks (lock_key CHAR(64) NOT NULL PRIMARY KEY,"
								+ " lock_id MEDIUMTEXT NOT NULL, owner VARCHAR(64), token BIGINT NOT NULL,"
								+ " expires_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6))");
				if (initializeSchema) {
					try (LockBackend backend = JdbcBackend.locks(dataSource, "old", prefix, true)) {
						LockService locks = LockService.builder(backend).build();
						locks.acquire("annual", LockOptions.defaults().withLease(YEAR)).close();
					}
					assertThat(columnType(dataSource, prefix + "locks")).isEqualTo("datetime");
				}
				else {
					assertThatIllegalStateException()
						.isThrownBy(() -> JdbcBackend.locks(dataSource, "old", prefix, false))
						.withMessageContaining(
								"[" + prefix + "locks] keep expiries as TIMESTAMP(6), which ends in 2038")
						.withMessageContaining("SET time_zone = '+00:00'; ALTER TABLE " + prefix
								+ "locks MODIFY expires_at DATETIME(6) NOT NULL")
						.withMessageContaining("phonon.jdbc.initialize-schema=always");
					assertThat(columnType(dataSource, prefix + "locks")).isEqualTo("timestamp");
				}
			}
			finally {
				TestDatabases.dropTables(dataSource, prefix);
			}
		}
	}

	private static long daysLeft(HikariDataSource dataSource, String table) throws SQLException {
		return query(dataSource, "SELECT TIMESTAMPDIFF(DAY, UTC_TIMESTAMP(6), expires_at) FROM " + table).getLong(1);
	}

	private static String columnType(HikariDataSource dataSource, String table) throws SQLException {
		return query(dataSource, "SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
				+ " AND TABLE_NAME = '" + table + "' AND COLUMN_NAME = 'expires_at'")
			.getString(1);
	}

	/** The first row of a query's answer, detached from its connection. */
	private static ResultSet query(HikariDataSource dataSource, String sql) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			CachedRowSet rows = RowSetProvider.newFactory().createCachedRowSet();
			rows.populate(statement.executeQuery(sql));
			assertThat(rows.next()).as("a row of " + sql).isTrue();
			return rows;
		}
	}

	private static void execute(HikariDataSource dataSource, String sql) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
