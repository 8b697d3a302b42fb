package io.phonon.backend.jdbc;

import javax.sql.DataSource;

import io.phonon.atom.AtomBackend;
import io.phonon.atom.AtomContractTests;
import io.phonon.testsupport.TestDatabases;
import org.junit.jupiter.api.BeforeAll;

class JdbcPostgresAtomContractTests extends AtomContractTests {

	private static DataSource dataSource;

	@BeforeAll
	static void database() {
		dataSource = TestDatabases.postgres();
	}

	@Override
	protected AtomBackend createEngine(String namespace) {
		return JdbcBackend.atoms(dataSource, namespace, "phonon_", true);
	}

}
