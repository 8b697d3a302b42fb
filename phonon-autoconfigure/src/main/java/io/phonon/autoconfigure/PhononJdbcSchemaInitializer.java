package io.phonon.autoconfigure;

import javax.sql.DataSource;

import io.phonon.backend.jdbc.JdbcBackend;

import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;

/**
 * Sets up the jdbc backend's tables through Spring Boot's database initialization: once
 * per start, as {@code phonon.jdbc.initialize-schema} says ({@code embedded} by default,
 * as {@code spring.sql.init.mode}), before every bean that depends on database
 * initialization, Phonon's engines among them.
 */
public class PhononJdbcSchemaInitializer extends DataSourceScriptDatabaseInitializer {

	/**
	 * Phonon's DDL for each platform. A {@code jdbc:mysql:} URL may reach a MariaDB
	 * server: it gets MariaDB's, and the engine tells the servers apart by the product
	 * name.
	 */
	static final String SCHEMA_LOCATION = "classpath:io/phonon/backend/jdbc/schema-@@platform@@.sql";

	private final String tablePrefix;

	/**
	 * Creates the initializer.
	 * @param dataSource the application's data source
	 * @param properties the jdbc backend's properties
	 */
	public PhononJdbcSchemaInitializer(DataSource dataSource, PhononProperties.Jdbc properties) {
		super(dataSource, settings(dataSource, properties));
		this.tablePrefix = properties.getTablePrefix();
	}

	private static DatabaseInitializationSettings settings(DataSource dataSource, PhononProperties.Jdbc properties) {
		DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
		settings.setSchemaLocations(
				new PlatformPlaceholderDatabaseDriverResolver().withDriverPlatform(DatabaseDriver.MYSQL, "mariadb")
					.resolveAll(dataSource, SCHEMA_LOCATION));
		settings.setMode(properties.getInitializeSchema());
		return settings;
	}

	/**
	 * Runs the platform's script, found by Spring Boot, through the engine, which applies
	 * the table prefix, tolerates instances that create the same tables at the same
	 * moment and converts tables of an older Phonon.
	 */
	@Override
	protected void runScripts(Scripts scripts) {
		JdbcBackend.initializeSchema(getDataSource(), this.tablePrefix);
	}

}
