package io.phonon.backend.jdbc;

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
		DataSource dataSource = TestDatabases.named(database);
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
			assertThat(TestDatabases.rows(dataSource, prefix + "locks"))
				.as("left by the sweeps during the acquisitions")
				.isLessThan(IDS / 2);
			while (backend.sweep() > 0) {
				// until every ended row is gone
			}
			assertThat(TestDatabases.rows(dataSource, prefix + "locks")).as("the lock still held").isEqualTo(1);
			OptionalLong again = backend.tryAcquire("reused", "b", Duration.ofMinutes(1));
			assertThat(again.getAsLong()).isGreaterThan(first.getAsLong());
		}
		finally {
			TestDatabases.dropTables(dataSource, prefix);
		}
	}

}
