package io.phonon.backend.jdbc;

import javax.sql.DataSource;

import io.phonon.atom.AtomBackend;
import io.phonon.dogpile.DogpileStore;
import io.phonon.lock.LockBackend;
import io.phonon.reference.ReferenceBackend;

/**
 * Creates the {@code jdbc} backend's engines.
 */
public final class JdbcBackend {

	/**
	 * The backend's name, as in {@code phonon.backend} and the meters' {@code backend}
	 * tag.
	 */
	public static final String NAME = "jdbc";

	private JdbcBackend() {
	}

	/**
	 * Creates Phonon's tables where they do not exist, from
	 * {@code io/phonon/backend/jdbc/schema-<platform>.sql} with the prefix applied, and
	 * converts the {@code TIMESTAMP} expiries of tables made by Phonon 0.1 on MariaDB.
	 * Safe to run from several instances starting together. Run it once per start, before
	 * the engines are made with {@code initializeSchema} false (the auto-configuration
	 * does, through Spring Boot's database initialization).
	 * @param dataSource the application's data source
	 * @param tablePrefix the prefix of Phonon's table names: letters, digits and
	 * underscores
	 * @throws io.phonon.PhononBackendException if the database cannot be reached or set
	 * up
	 */
	public static void initializeSchema(DataSource dataSource, String tablePrefix) {
		JdbcSchema.prepare(dataSource, tablePrefix, true);
	}

	/**
	 * Creates a lock engine on a database: PostgreSQL, MariaDB 10.5+ or H2. Locks are
	 * rows of {@code <tablePrefix>locks}; the DDL is
	 * {@code io/phonon/backend/jdbc/schema-<platform>.sql}. Connections are taken from
	 * {@code dataSource} for each statement, in auto-commit: a lock is never part of the
	 * caller's transaction.
	 * @param dataSource the application's data source
	 * @param namespace the application's namespace
	 * @param tablePrefix the prefix of Phonon's table names: letters, digits and
	 * underscores
	 * @param initializeSchema whether to create the table if it does not exist
	 * @return a new lock backend; close it to end its notification listener
	 * @throws io.phonon.PhononBackendException if the database cannot be reached or set
	 * up
	 */
	public static LockBackend locks(DataSource dataSource, String namespace, String tablePrefix,
			boolean initializeSchema) {
		return locks(dataSource, dataSource, namespace, tablePrefix, initializeSchema);
	}

	/**
	 * Creates a lock engine whose renewals and releases use connections of their own, so
	 * that they never wait for a connection behind the application's work (locked
	 * sections that hold every connection of the application's pool would otherwise let
	 * their leases lapse). Acquisitions and waits use the application's
	 * {@code dataSource}.
	 * @param dataSource the application's data source
	 * @param maintenance a small pool of Phonon's own over the same database
	 * @param namespace the application's namespace
	 * @param tablePrefix the prefix of Phonon's table names: letters, digits and
	 * underscores
	 * @param initializeSchema whether to create the table if it does not exist
	 * @return a new lock backend; close it to end its notification listener
	 * @throws io.phonon.PhononBackendException if the database cannot be reached or set
	 * up
	 */
	public static LockBackend locks(DataSource dataSource, DataSource maintenance, String namespace, String tablePrefix,
			boolean initializeSchema) {
		return new JdbcLockBackend(dataSource, maintenance, namespace, tablePrefix, initializeSchema);
	}

	/**
	 * Creates a shared-atom engine in a database: tables {@code <tablePrefix>atoms} and
	 * {@code <tablePrefix>atom_changes}; PostgreSQL announces changes with
	 * {@code NOTIFY}.
	 * @param dataSource the application's data source
	 * @param namespace the application's namespace
	 * @param tablePrefix the tables' prefix (letters, digits and underscores)
	 * @param initializeSchema whether to create the tables if they are missing
	 * @return a new atom backend
	 */
	public static AtomBackend atoms(DataSource dataSource, String namespace, String tablePrefix,
			boolean initializeSchema) {
		return new JdbcAtomBackend(dataSource, namespace, tablePrefix, initializeSchema);
	}

	/**
	 * Creates a dogpile store in a database: values shared by the cluster, encoded, in
	 * the table {@code <tablePrefix>dogpile}, fresh while the database's clock says so.
	 * @param dataSource the application's data source
	 * @param namespace the application's namespace
	 * @param tablePrefix the tables' prefix (letters, digits and underscores)
	 * @param initializeSchema whether to create the tables if they are missing
	 * @return a new dogpile store
	 */
	public static DogpileStore<String> dogpiles(DataSource dataSource, String namespace, String tablePrefix,
			boolean initializeSchema) {
		return new JdbcDogpileStore(dataSource, namespace, tablePrefix, initializeSchema);
	}

	/**
	 * Creates a reference engine on a database: PostgreSQL, MariaDB 10.5+ or H2, in the
	 * tables {@code <tablePrefix>ref_*}. Each step that changes anything is one
	 * transaction holding its namespace's row lock; time is the database's.
	 * @param dataSource the application's data source
	 * @param namespace the application's namespace
	 * @param tablePrefix the prefix of Phonon's table names: letters, digits and
	 * underscores
	 * @param initializeSchema whether to create the tables if they do not exist
	 * @return a new reference backend
	 * @throws io.phonon.PhononBackendException if the database cannot be reached or set
	 * up
	 */
	public static ReferenceBackend references(DataSource dataSource, String namespace, String tablePrefix,
			boolean initializeSchema) {
		return references(dataSource, dataSource, namespace, tablePrefix, initializeSchema);
	}

	/**
	 * Creates a reference engine whose heartbeats, reaping and last-release bookkeeping
	 * use connections of their own, so that a busy application pool cannot starve a
	 * session into expiry. Acquiring, releasing and counting use the application's
	 * {@code dataSource}.
	 * @param dataSource the application's data source
	 * @param maintenance a small pool of Phonon's own over the same database
	 * @param namespace the application's namespace
	 * @param tablePrefix the prefix of Phonon's table names: letters, digits and
	 * underscores
	 * @param initializeSchema whether to create the tables if they do not exist
	 * @return a new reference backend
	 * @throws io.phonon.PhononBackendException if the database cannot be reached or set
	 * up
	 */
	public static ReferenceBackend references(DataSource dataSource, DataSource maintenance, String namespace,
			String tablePrefix, boolean initializeSchema) {
		return new JdbcReferenceBackend(dataSource, maintenance, namespace, tablePrefix, initializeSchema);
	}

}
