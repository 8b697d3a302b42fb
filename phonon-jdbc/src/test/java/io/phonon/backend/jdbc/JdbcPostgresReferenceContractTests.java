package io.phonon.backend.jdbc;

import java.util.UUID;

import javax.sql.DataSource;

import io.phonon.reference.ReferenceBackend;
import io.phonon.reference.ReferenceContractTests;
import io.phonon.testsupport.TestDatabases;
import org.junit.jupiter.api.BeforeAll;

class JdbcPostgresReferenceContractTests extends ReferenceContractTests {

	private static DataSource dataSource;

	@BeforeAll
	static void database() {
		dataSource = TestDatabases.postgres();
	}

	@Override
	protected ReferenceBackend createEngine() {
		return JdbcBackend.references(dataSource, "test-" + UUID.randomUUID(), "phonon_", true);
	}

}
