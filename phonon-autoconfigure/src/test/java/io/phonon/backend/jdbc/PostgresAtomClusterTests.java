package io.phonon.backend.jdbc;

import io.phonon.backend.AtomClusterTests;
import io.phonon.testsupport.TestDatabases;

class PostgresAtomClusterTests extends AtomClusterTests {

	@Override
	protected String engine() {
		return TestDatabases.postgresUrl();
	}

}
