package io.phonon.backend.jdbc;

import io.phonon.backend.ReferenceFaultTests;
import io.phonon.testsupport.TestDatabases;

class PostgresReferenceFaultTests extends ReferenceFaultTests {

	@Override
	protected String engine() {
		return TestDatabases.postgresUrl();
	}

}
