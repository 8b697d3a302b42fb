package io.phonon.backend.jdbc;

import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import io.phonon.testsupport.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What dogpile values leave in the database once their stale windows end: rows that the
 * writes' sweeps delete, a bounded number at a time.
 */
class JdbcDogpileFootprintTests {

	private static final int KEYS = 5_000;

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql", "mariadb" })
	void rowsPastTheirStaleWindowAreDeleted(String database) throws Exception {
		DataSource dataSource = TestDatabases.named(database);
		String prefix = "d" + UUID.randomUUID().toString().substring(0, 8) + "_";
		try {
			JdbcDogpileStore store = new JdbcDogpileStore(dataSource, "footprint", prefix, true);
			for (int key = 0; key < KEYS; key++) {
				store.put("reports", "k" + key, "\"value\"", 1, Duration.ofMillis(1), Duration.ZERO);
			}
			store.put("reports", "kept", "\"value\"", 1, Duration.ofHours(1), null);
			assertThat(TestDatabases.rows(dataSource, prefix + "dogpile")).as("left by the sweeps during the writes")
				.isLessThan(KEYS / 2);
			while (store.sweep() > 0) {
				// until every ended row is gone
			}
			assertThat(TestDatabases.rows(dataSource, prefix + "dogpile")).as("the value served stale for ever")
				.isEqualTo(1);
		}
		finally {
			TestDatabases.dropTables(dataSource, prefix);
		}
	}

}
