package io.phonon.backend.jdbc;

import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import io.phonon.PhononBackendException;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import io.phonon.testsupport.TestDatabases;
import io.phonon.testsupport.TestRedis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * What only the jdbc backend has to show: an unreachable or failing database is a
 * {@code PhononBackendException}, unsupported databases and unsafe table prefixes are
 * refused with the reason.
 */
class JdbcLockBackendTests {

	@Test
	void unreachableDatabaseFailsTheSetUpSayingWhatToCheck() {
		try (HikariDataSource nowhere = TestDatabases
			.pool("jdbc:postgresql://127.0.0.1:" + TestRedis.freePort() + "/test?user=postgres")) {
			nowhere.setConnectionTimeout(1000);
			assertThatExceptionOfType(PhononBackendException.class)
				.isThrownBy(() -> JdbcBackend.locks(nowhere, "down", "phonon_", true))
				.withMessageContaining("backend 'jdbc' failed to set up the tables phonon_*")
				.withMessageContaining("check the DataSource");
		}
	}

	@Test
	void databaseFailingAfterSetUpIsABackendExceptionNamingTheOperation() throws Exception {
		HikariDataSource h2 = (HikariDataSource) TestDatabases.h2();
		try (LockBackend backend = JdbcBackend.locks(h2, "failing-" + UUID.randomUUID(), "phonon_", true)) {
			LockService locks = LockService.builder(backend).build();
			try (var connection = h2.getConnection()) {
				connection.createStatement().execute("DROP TABLE phonon_locks");
			}
			assertThatExceptionOfType(PhononBackendException.class)
				.isThrownBy(() -> locks.tryAcquire("records:1", LockOptions.defaults()))
				.withMessageContaining("backend 'jdbc' failed to acquire lock 'records:1'");
		}
		finally {
			h2.close();
		}
	}

	@Test
	void unsupportedDatabasesAndUnsafePrefixesAreRefusedWithTheReason() {
		assertThatIllegalStateException().isThrownBy(() -> JdbcDialect.of("MySQL"))
			.withMessageContaining("PostgreSQL, MariaDB (10.5+) and H2")
			.withMessageContaining("MySQL lacks INSERT ... RETURNING");
		assertThat(JdbcDialect.of("PostgreSQL")).isEqualTo(JdbcDialect.POSTGRESQL);
		assertThat(JdbcDialect.of("MariaDB")).isEqualTo(JdbcDialect.MARIADB);
		assertThat(JdbcDialect.of("H2")).isEqualTo(JdbcDialect.H2);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> JdbcBackend.locks(TestDatabases.h2(), "x", "locks; DROP TABLE users; --", true))
			.withMessageContaining("may hold only letters, digits and underscores");
	}

}
