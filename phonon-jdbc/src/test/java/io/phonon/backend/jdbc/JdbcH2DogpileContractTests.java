package io.phonon.backend.jdbc;

import javax.sql.DataSource;

import io.phonon.dogpile.DogpileContractTests;
import io.phonon.dogpile.DogpileStore;
import io.phonon.lock.LockBackend;
import io.phonon.testsupport.TestDatabases;
import org.junit.jupiter.api.BeforeAll;

class JdbcH2DogpileContractTests extends DogpileContractTests {

	private static DataSource dataSource;

	@BeforeAll
	static void database() {
		dataSource = TestDatabases.h2();
	}

	@Override
	protected DogpileStore<?> createStore(String namespace) {
		return JdbcBackend.dogpiles(dataSource, namespace, "phonon_", true);
	}

	@Override
	protected LockBackend createLocks(String namespace) {
		return JdbcBackend.locks(dataSource, namespace, "phonon_", true);
	}

}
