package io.phonon.backend.jdbc;

import io.phonon.backend.DogpileClusterTests;
import io.phonon.testsupport.TestDatabases;

class PostgresDogpileClusterTests extends DogpileClusterTests {

	@Override
	protected String engine() {
		return TestDatabases.postgresUrl();
	}

}
