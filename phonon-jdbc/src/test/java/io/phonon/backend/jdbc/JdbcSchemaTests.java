package io.phonon.backend.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.phonon.testsupport.TestDatabases;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instances starting together on a fresh PostgreSQL create Phonon's tables at the same
 * moment; PostgreSQL's {@code CREATE TABLE IF NOT EXISTS} can then fail in its system
 * catalog, and Phonon must take that as created.
 */
class JdbcSchemaTests {

	@Test
	void instancesStartingTogetherOnAFreshDatabaseAllGetTheirTables() throws Exception {
		String prefix = "race_" + UUID.randomUUID().toString().substring(0, 8) + "_";
		int instances = 8;
		ExecutorService starting = Executors.newFixedThreadPool(instances);
		List<HikariDataSource> pools = new ArrayList<>();
		try {
			CountDownLatch go = new CountDownLatch(1);
			List<Future<JdbcDialect>> started = new ArrayList<>();
			for (int i = 0; i < instances; i++) {
				HikariDataSource pool = TestDatabases.pool(TestDatabases.postgresUrl());
				pool.setMaximumPoolSize(2);
				pools.add(pool);
				started.add(starting.submit(() -> {
					go.await();
					return JdbcSchema.prepare(pool, prefix, true);
				}));
			}
			go.countDown();
			for (Future<JdbcDialect> instance : started) {
				assertThat(instance.get(1, TimeUnit.MINUTES)).isEqualTo(JdbcDialect.POSTGRESQL);
			}
		}
		finally {
			starting.shutdownNow();
			pools.forEach(HikariDataSource::close);
		}
	}

}
