package io.phonon.backend.jdbc;

import java.util.UUID;

import io.phonon.lock.LockBackend;
import io.phonon.lock.ReactiveLockContractTests;
import io.phonon.testsupport.TestDatabases;

class JdbcPostgresReactiveLockContractTests extends ReactiveLockContractTests {

	@Override
	protected LockBackend createBackend() {
		return JdbcBackend.locks(TestDatabases.postgres(), "test-" + UUID.randomUUID(), "phonon_", true);
	}

}
