package io.phonon.backend.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.phonon.PhononBackendException;
import io.phonon.backend.support.Digests;

/**
 * What the jdbc engines share: finding the database's dialect, creating Phonon's tables
 * from {@code schema-<platform>.sql} (all of them, with the configured prefix), and the
 * hashed keys of namespaces, ids and resources.
 */
final class JdbcSchema {

	private static final Pattern CREATED_TABLE = Pattern.compile("CREATE TABLE IF NOT EXISTS (\\w+)");

	private static final Pattern CREATED_INDEX = Pattern.compile("CREATE INDEX IF NOT EXISTS (\\w+)");

	private JdbcSchema() {
	}

	/**
	 * Finds the dialect and, if asked, creates the tables.
	 * @throws PhononBackendException if the database cannot be reached or set up
	 */
	static JdbcDialect prepare(DataSource dataSource, String tablePrefix, boolean initializeSchema) {
		if (!tablePrefix.matches("[A-Za-z0-9_]*")) {
			throw new IllegalArgumentException("Table prefix '" + tablePrefix
					+ "' may hold only letters, digits and underscores (phonon.jdbc.table-prefix)");
		}
		try (Connection connection = dataSource.getConnection()) {
			JdbcDialect dialect = JdbcDialect.of(connection.getMetaData().getDatabaseProductName());
			if (dialect == JdbcDialect.MARIADB) {
				convertTimestamps(connection, tablePrefix, initializeSchema);
			}
			if (initializeSchema) {
				createTables(connection, dialect, tablePrefix);
			}
			return dialect;
		}
		catch (SQLException | IOException ex) {
			throw new PhononBackendException(JdbcBackend.NAME,
					"set up the tables " + tablePrefix + "*"
							+ " (check the DataSource, or create them from io/phonon/backend/jdbc/schema-<platform>.sql"
							+ " and set phonon.jdbc.initialize-schema=never)",
					ex);
		}
	}

	private static void createTables(Connection connection, JdbcDialect dialect, String tablePrefix)
			throws IOException, SQLException {
		String resource = "schema-" + dialect.platform() + ".sql";
		String ddl;
		try (InputStream in = JdbcSchema.class.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IOException("Missing " + resource);
			}
			ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		String statements = ddl.replaceAll("--[^\\n]*", "").replace("phonon_", tablePrefix);
		connection.setAutoCommit(true);
		try (Statement statement = connection.createStatement()) {
			for (String sql : statements.split(";")) {
				if (!sql.isBlank()) {
					try {
						statement.execute(sql);
					}
					catch (SQLException ex) {
						if (!createdMeanwhile(statement, sql)) {
							throw ex;
						}
					}
				}
			}
		}
	}

	/**
	 * Converts the {@code TIMESTAMP(6)} expiries of tables made by Phonon 0.1 on MariaDB
	 * into {@code DATETIME(6)} in UTC: a {@code TIMESTAMP} ends in 2038, so a long lease
	 * failed (strict mode) or was stored as 1970 and let a second owner in. Without leave
	 * to change the schema, refuses to start with the statements to run.
	 */
	private static void convertTimestamps(Connection connection, String tablePrefix, boolean initializeSchema)
			throws SQLException {
		List<String> tables = new ArrayList<>();
		try (PreparedStatement find = connection.prepareStatement("SELECT TABLE_NAME FROM information_schema.COLUMNS"
				+ " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (?, ?) AND COLUMN_NAME = 'expires_at'"
				+ " AND DATA_TYPE = 'timestamp'")) {
			find.setString(1, tablePrefix + "locks");
			find.setString(2, tablePrefix + "ref_sessions");
			try (ResultSet found = find.executeQuery()) {
				while (found.next()) {
					tables.add(found.getString(1));
				}
			}
		}
		if (tables.isEmpty()) {
			return;
		}
		// In a UTC session, so that the conversion writes the instants in UTC, as Phonon
		// now reads them.
		List<String> statements = new ArrayList<>(List.of("SET time_zone = '+00:00'"));
		tables.forEach((table) -> statements.add("ALTER TABLE " + table + " MODIFY expires_at DATETIME(6) NOT NULL"));
		if (!initializeSchema) {
			throw new IllegalStateException("The tables " + tables + " keep expiries as TIMESTAMP(6), which ends in"
					+ " 2038, and in the session's time zone; this Phonon keeps DATETIME(6) in UTC. Stop every instance"
					+ " of the application, then run, in one session: " + String.join("; ", statements)
					+ " (or set phonon.jdbc.initialize-schema=always to let Phonon do it)");
		}
		String sessionZone;
		try (Statement statement = connection.createStatement();
				ResultSet zone = statement.executeQuery("SELECT @@session.time_zone")) {
			zone.next();
			sessionZone = zone.getString(1);
		}
		try (Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
		finally {
			try (PreparedStatement restore = connection.prepareStatement("SET time_zone = ?")) {
				restore.setString(1, sessionZone);
				restore.execute();
			}
		}
	}

	/**
	 * Whether the table or index of a failed {@code CREATE ... IF NOT EXISTS} exists now:
	 * instances starting together on a fresh PostgreSQL race in the system catalog, and
	 * the losers fail in several ways (duplicate key, type already exists, tuple
	 * concurrently updated).
	 */
	private static boolean createdMeanwhile(Statement statement, String sql) {
		if (CREATED_INDEX.matcher(sql).find()) {
			try {
				statement.execute(sql); // the other instance's index exists by now
				return true;
			}
			catch (SQLException ex) {
				return false;
			}
		}
		Matcher table = CREATED_TABLE.matcher(sql);
		if (!table.find()) {
			return false;
		}
		try {
			statement.execute("SELECT 1 FROM " + table.group(1) + " WHERE 1 = 0");
			return true;
		}
		catch (SQLException ex) {
			return false;
		}
	}

	/**
	 * The key of a name within a namespace: unambiguous, fixed length, any characters.
	 */
	static String key(String namespace, String name) {
		return sha256(namespace.length() + ":" + namespace + ":" + name);
	}

	/**
	 * A name as stored for people to read (the key is the hash): PostgreSQL text cannot
	 * hold NUL.
	 */
	static String storable(String name) {
		return name.replace("\0", "\\0");
	}

	static String sha256(String value) {
		return HexFormat.of().formatHex(Digests.sha256(value));
	}

}
