package io.phonon.backend.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.phonon.PhononBackendException;

/**
 * What the jdbc engines share: finding the database's dialect, creating Phonon's tables from
 * {@code schema-<platform>.sql} (all of them, with the configured prefix), and the hashed keys
 * of namespaces, ids and resources.
 */
final class JdbcSchema {

	private static final Pattern CREATED_TABLE = Pattern.compile("CREATE TABLE IF NOT EXISTS (\\w+)");

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
			if (initializeSchema) {
				createTables(connection, dialect, tablePrefix);
			}
			return dialect;
		}
		catch (SQLException | IOException ex) {
			throw new PhononBackendException(JdbcBackend.NAME, "set up the tables " + tablePrefix + "*"
					+ " (check the DataSource, or create them from io/phonon/backend/jdbc/schema-<platform>.sql"
					+ " and set phonon.jdbc.initialize-schema=never)", ex);
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
	 * Whether the table of a failed {@code CREATE TABLE IF NOT EXISTS} exists now: instances
	 * starting together on a fresh PostgreSQL race in the system catalog, and the losers fail in
	 * several ways (duplicate key, type already exists, tuple concurrently updated).
	 */
	private static boolean createdMeanwhile(Statement statement, String sql) {
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

	/** The key of a name within a namespace: unambiguous, fixed length, any characters. */
	static String key(String namespace, String name) {
		return sha256(namespace.length() + ":" + namespace + ":" + name);
	}

	/** A name as stored for people to read (the key is the hash): PostgreSQL text cannot hold NUL. */
	static String storable(String name) {
		return name.replace("\0", "\\0");
	}

	static String sha256(String value) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
		}
	}

}
