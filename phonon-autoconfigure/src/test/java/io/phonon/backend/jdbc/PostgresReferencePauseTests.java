package io.phonon.backend.jdbc;

import io.phonon.backend.ReferencePauseTests;
import io.phonon.testsupport.TestDatabases;

class PostgresReferencePauseTests extends ReferencePauseTests {

	@Override
	protected String engine() {
		return TestDatabases.postgresUrl();
	}

}
