package io.phonon.backend.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import io.phonon.backend.LockFaultTests;
import io.phonon.testsupport.PrivatePostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fault test on a private PostgreSQL, from the machine's PostgreSQL binaries; the
 * restart is an immediate stop (as a crash) and a start.
 */
class PostgresLockFaultTests extends LockFaultTests {

	private PrivatePostgres server;

	@BeforeEach
	void startPrivatePostgres() throws Exception {
		String reason = "The PostgreSQL fault test did not run: it starts, kills and restarts a private server from"
				+ " the machine's PostgreSQL binaries, and there are none under /usr/lib/postgresql/*/bin";
		if (!PrivatePostgres.available()) {
			System.out.println(reason);
		}
		assumeTrue(PrivatePostgres.available(), reason);
		this.server = PrivatePostgres.start();
	}

	@AfterEach
	void stopPrivatePostgres() throws Exception {
		if (this.server != null) {
			this.server.close();
		}
	}

	@Override
	protected String engine() {
		return this.server.jdbcUrl();
	}

	@Override
	protected void stopEngine() throws Exception {
		this.server.stopServer();
	}

	@Override
	protected void startEngine() throws Exception {
		this.server.startServer();
	}

	@Override
	protected long leaseExpiryMicros(long token) throws Exception {
		try (Connection connection = DriverManager.getConnection(this.server.jdbcUrl());
				ResultSet row = connection.createStatement()
					.executeQuery("SELECT token, CAST(EXTRACT(EPOCH FROM expires_at) * 1000000 AS BIGINT)"
							+ " FROM phonon_locks WHERE lock_id = 'fault'")) {
			assertThat(row.next()).as("the holder's row").isTrue();
			assertThat(row.getLong(1)).isEqualTo(token);
			return row.getLong(2);
		}
	}

}
