package io.phonon.backend;

import java.util.List;

import io.phonon.testsupport.PrivatePostgres;
import io.phonon.testsupport.PrivateRedis;
import io.phonon.testsupport.TestNetwork.TestHost;
import io.phonon.testsupport.TestRedis;
import org.junit.jupiter.api.Assumptions;

/** An engine that partition tests start on a host of their own network. */
enum PartitionedEngine {

	REDIS {
		@Override
		String start(TestHost host, List<AutoCloseable> started) throws Exception {
			PrivateRedis redis = PrivateRedis.start(host.namespace(), host.address(), TestRedis.freePort());
			started.add(redis);
			return "redis:" + redis.address();
		}
	},

	POSTGRES {
		@Override
		String start(TestHost host, List<AutoCloseable> started) throws Exception {
			if (!PrivatePostgres.available()) {
				String reason = "The PostgreSQL partition test starts a private server in a network namespace from"
						+ " the machine's PostgreSQL binaries (/usr/lib/postgresql/*/bin), and there are none";
				System.out.println("NOT RUN: " + reason);
				Assumptions.abort(reason);
			}
			PrivatePostgres postgres = PrivatePostgres.start(host.namespace(), host.address());
			started.add(postgres);
			return postgres.jdbcUrl();
		}
	};

	/**
	 * Starts the engine on {@code host}, adding what to stop after the test to
	 * {@code started}.
	 * @return the engine's address, as {@link TestEngine} takes it
	 */
	abstract String start(TestHost host, List<AutoCloseable> started) throws Exception;

	/** Stops what {@link #start} started, the last first. */
	static void stop(List<AutoCloseable> started) throws Exception {
		for (int i = started.size() - 1; i >= 0; i--) {
			started.get(i).close();
		}
	}

}
