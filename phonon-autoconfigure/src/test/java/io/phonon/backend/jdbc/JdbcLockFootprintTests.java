package io.phonon.backend.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.UUID;

import javax.sql.DataSource;

import io.phonon.testsupport.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an id leaves in the database: the row of a lock that ended is deleted once the
 * retention has passed, by the sweep that every {@value JdbcLockBackend#SWEEP_EVERY}th
 * acquisition runs, and a token taken after the row is gone is still greater than every
 * earlier one.
 */
class JdbcLockFootprintTests {

	private static final int IDS = 5_000;

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql", "mariadb" })
	void rowsOfEndedLocksAreDeletedAndTokensKeepIncreasing(String database) throws Exception {
		DataSource dataSource = switch (database) {
			case "postgresql" -> TestDatabases.postgres();
			case "mariadb" -> TestDatabases.mariadb();
			default -> TestDatabases.h2();
		};
		String prefix = "f" + UUID.randomUUID().toString().substring(0, 8) + "_";
		try (JdbcLockBackend backend = new JdbcLockBackend(dataSource, dataSource, "footprint", prefix, true,
				Duration.ZERO)) {
			OptionalLong first = backend.tryAcquire("reused", "a", Duration.ofMinutes(1));
			assertThat(backend.release("reused", "a")).isTrue();
			for (int id = 0; id < IDS; id++) {
				assertThat(backend.tryAcquire("order:" + id, "owner", Duration.ofMinutes(1))).isPresent();
				assertThat(backend.release("order:" + id, "owner")).isTrue();
			}
			assertThat(backend.tryAcquire("held", "owner", Duration.ofMinutes(1))).isPresent();
			assertThat(rows(dataSource, prefix)).as("left by the sweeps during the acquisitions")
				.isLessThan(IDS / 2);
			while (backend.sweep() > 0) {
				// until every ended row is gone
			}
			assertThat(rows(dataSource, prefix)).as("the lock still held").isEqualTo(1);
			OptionalLong again = backend.tryAcquire("reused", "b", Duration.ofMinutes(1));
			assertThat(again.getAsLong()).isGreaterThan(first.getAsLong());
		}
		finally {
			try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
				for (String table : new String[] { "locks", "ref_namespaces", "ref_sessions", "ref_resources",
						"ref_holders", "ref_releases", "dogpile", "atoms", "atom_changes" }) {
					statement.execute("DROP TABLE IF EXISTS " + prefix + table);
				}
			}
		}
	}

	private static long rows(DataSource dataSource, String prefix) throws SQLException {
		try (Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM " + prefix + "locks")) {
			count.next();
			return count.getLong(1);
		}
	}

}
