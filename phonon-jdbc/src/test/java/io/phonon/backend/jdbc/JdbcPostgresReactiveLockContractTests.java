package io.phonon.backend.jdbc;

import java.util.UUID;

import javax.sql.DataSource;

import io.phonon.lock.LockBackend;
import io.phonon.lock.ReactiveLockContractTests;
import io.phonon.testsupport.TestDatabases;
import org.junit.jupiter.api.BeforeAll;

class JdbcPostgresReactiveLockContractTests extends ReactiveLockContractTests {

	private static DataSource dataSource;

	@BeforeAll
	static void database() {
		dataSource = TestDatabases.postgres();
	}

	@Override
	protected LockBackend createBackend() {
		return JdbcBackend.locks(dataSource, "test-" + UUID.randomUUID(), "phonon_", true);
	}

}
