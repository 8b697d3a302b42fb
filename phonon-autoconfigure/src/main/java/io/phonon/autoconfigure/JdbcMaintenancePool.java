package io.phonon.autoconfigure;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.EmbeddedDatabaseConnection;
import org.springframework.util.ClassUtils;

/**
 * The connections of Phonon's maintenance on the jdbc backend: a small pool of its own
 * over the application's database (derived from the application's {@link DataSource} by
 * Spring Boot's {@link DataSourceBuilder}), so that renewals and heartbeats never wait
 * behind the application's work for a connection.
 */
final class JdbcMaintenancePool implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(JdbcMaintenancePool.class);

	private static final boolean HIKARI = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
			JdbcMaintenancePool.class.getClassLoader());

	private final DataSource dataSource;

	private final boolean own;

	private JdbcMaintenancePool(DataSource dataSource, boolean own) {
		this.dataSource = dataSource;
		this.own = own;
	}

	/**
	 * Opens a pool of {@code size} connections to the application's database, or uses the
	 * application's own {@code DataSource} when {@code size} is zero or the pool cannot
	 * be derived from it (then saying so, unless the database is embedded).
	 */
	static JdbcMaintenancePool over(DataSource application, int size) {
		if (size == 0) {
			return new JdbcMaintenancePool(application, false);
		}
		try {
			DataSourceBuilder<?> builder = DataSourceBuilder.derivedFrom(application);
			return new JdbcMaintenancePool(HIKARI ? Hikari.pool(builder, size) : builder.build(), true);
		}
		catch (RuntimeException ex) {
			if (!EmbeddedDatabaseConnection.isEmbedded(application)) {
				logger.warn("Phonon could not open its own connections to the application's database (" + ex
						+ "): lease renewals and heartbeats share the application's DataSource, and may wait behind"
						+ " its work. Set phonon.jdbc.maintenance-pool-size=0 to choose this knowingly");
			}
			return new JdbcMaintenancePool(application, false);
		}
	}

	/** Kept apart, so that this class loads where HikariCP is missing. */
	private static final class Hikari {

		static DataSource pool(DataSourceBuilder<?> builder, int size) {
			HikariDataSource pool = builder.type(HikariDataSource.class).build();
			pool.setPoolName("phonon-maintenance");
			pool.setMaximumPoolSize(size);
			pool.setMinimumIdle(1);
			return pool;
		}

	}

	DataSource dataSource() {
		return this.dataSource;
	}

	@Override
	public void close() throws Exception {
		if (this.own && this.dataSource instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}

}
