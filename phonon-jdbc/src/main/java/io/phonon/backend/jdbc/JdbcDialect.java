package io.phonon.backend.jdbc;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * What differs between databases: the statements (each one atomic step in database time)
 * and the unit of a lease. Every acquire answers {@code token, owner} of the row as it
 * stands after the statement, or nothing; the lock was taken when the owner is the
 * caller's.
 */
enum JdbcDialect {

	POSTGRESQL("postgresql", TimeUnit.MILLISECONDS, "now()",
			"now() + CAST(? AS DOUBLE PRECISION) * INTERVAL '1 millisecond'", """
					INSERT INTO %1$s AS l (lock_key, lock_id, owner, token, expires_at)
					VALUES (?, ?, ?, CAST(EXTRACT(EPOCH FROM now()) * 1000000 AS BIGINT),
					  now() + CAST(? AS DOUBLE PRECISION) * INTERVAL '1 millisecond')
					ON CONFLICT (lock_key) DO UPDATE SET
					  token = CASE WHEN l.owner = EXCLUDED.owner AND l.expires_at > now() THEN l.token
					    ELSE GREATEST(l.token + 1, EXCLUDED.token) END,
					  owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
					WHERE l.owner IS NULL OR l.expires_at <= now() OR l.owner = EXCLUDED.owner
					RETURNING token, owner""", """
					UPDATE %1$s SET expires_at = now() + CAST(? AS DOUBLE PRECISION) * INTERVAL '1 millisecond'
					WHERE lock_key = ? AND owner = ? AND expires_at > now()""",
			"""
					UPDATE %1$s AS l SET expires_at = now() + CAST(r.lease AS DOUBLE PRECISION) * INTERVAL '1 millisecond'
					FROM unnest(CAST(? AS CHAR(64)[]), CAST(? AS VARCHAR(64)[]), CAST(? AS BIGINT[]))
					  AS r(lock_key, owner, lease)
					WHERE l.lock_key = r.lock_key AND l.owner = r.owner AND l.expires_at > now()
					RETURNING l.lock_key, l.owner""",
			"""
					WITH released AS (
					  UPDATE %1$s SET owner = NULL, expires_at = now()
					  WHERE lock_key = ? AND owner = ? AND expires_at > now() RETURNING lock_key)
					SELECT pg_notify(?, lock_key) FROM released""", """
					WITH released AS (
					  UPDATE %1$s AS l SET owner = NULL, expires_at = now()
					  FROM unnest(CAST(? AS CHAR(64)[]), CAST(? AS VARCHAR(64)[])) AS r(lock_key, owner)
					  WHERE l.lock_key = r.lock_key AND l.owner = r.owner AND l.expires_at > now()
					  RETURNING l.lock_key, r.owner)
					SELECT lock_key, owner, pg_notify(?, lock_key) FROM released""", """
					SELECT CAST(EXTRACT(EPOCH FROM (expires_at - now())) * 1000 AS BIGINT) FROM %1$s
					WHERE lock_key = ? AND owner IS NOT NULL""",
			"""
					DELETE FROM %1$s WHERE %5$s < now() - INTERVAL '%2$d millisecond'
					AND (%4$s) IN (SELECT %4$s FROM %1$s WHERE %5$s < now() - INTERVAL '%2$d millisecond' LIMIT %3$d)"""),

	MARIADB("mariadb", TimeUnit.MICROSECONDS, "UTC_TIMESTAMP(6)", "UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND",
			"""
					INSERT INTO %1$s (lock_key, lock_id, owner, token, expires_at)
					VALUES (?, ?, ?, CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS SIGNED), UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND)
					ON DUPLICATE KEY UPDATE
					  token = IF(owner IS NULL OR expires_at <= UTC_TIMESTAMP(6), GREATEST(token + 1, VALUES(token)), token),
					  owner = IF(owner IS NULL OR expires_at <= UTC_TIMESTAMP(6) OR owner = VALUES(owner), VALUES(owner), owner),
					  expires_at = IF(owner = VALUES(owner), VALUES(expires_at), expires_at)
					RETURNING token, owner""",
			"""
					UPDATE %1$s SET expires_at = UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND
					WHERE lock_key = ? AND owner = ? AND expires_at > UTC_TIMESTAMP(6)""", null, """
					UPDATE %1$s SET owner = NULL, expires_at = UTC_TIMESTAMP(6)
					WHERE lock_key = ? AND owner = ? AND expires_at > UTC_TIMESTAMP(6)""", null, """
					SELECT TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(6), expires_at) DIV 1000 FROM %1$s
					WHERE lock_key = ? AND owner IS NOT NULL""", """
					DELETE FROM %1$s WHERE %5$s < UTC_TIMESTAMP(6) - INTERVAL (%2$d * 1000) MICROSECOND LIMIT %3$d"""),

	H2("h2", TimeUnit.MILLISECONDS, "LOCALTIMESTAMP", "DATEADD(MILLISECOND, ?, LOCALTIMESTAMP)", """
			SELECT token, owner FROM FINAL TABLE (
			  MERGE INTO %1$s l
			  USING (VALUES (CAST(? AS CHAR(64)), CAST(? AS CHARACTER LARGE OBJECT), CAST(? AS VARCHAR(64)),
			    CAST(? AS BIGINT))) s(lock_key, lock_id, owner, lease)
			  ON l.lock_key = s.lock_key
			  WHEN MATCHED AND (l.owner IS NULL OR l.expires_at <= LOCALTIMESTAMP OR l.owner = s.owner) THEN UPDATE SET
			    token = CASE WHEN l.owner = s.owner AND l.expires_at > LOCALTIMESTAMP THEN l.token
			      ELSE GREATEST(l.token + 1, CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000000 AS BIGINT)) END,
			    owner = s.owner, expires_at = DATEADD(MILLISECOND, s.lease, LOCALTIMESTAMP)
			  WHEN NOT MATCHED THEN INSERT (lock_key, lock_id, owner, token, expires_at)
			    VALUES (s.lock_key, s.lock_id, s.owner, CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000000 AS BIGINT),
			      DATEADD(MILLISECOND, s.lease, LOCALTIMESTAMP)))""", """
			UPDATE %1$s SET expires_at = DATEADD(MILLISECOND, ?, LOCALTIMESTAMP)
			WHERE lock_key = ? AND owner = ? AND expires_at > LOCALTIMESTAMP""", null, """
			UPDATE %1$s SET owner = NULL, expires_at = LOCALTIMESTAMP
			WHERE lock_key = ? AND owner = ? AND expires_at > LOCALTIMESTAMP""", null, """
			SELECT DATEDIFF(MILLISECOND, LOCALTIMESTAMP, expires_at) FROM %1$s
			WHERE lock_key = ? AND owner IS NOT NULL""",
			"""
					DELETE FROM %1$s WHERE %5$s < DATEADD(MILLISECOND, -%2$d, LOCALTIMESTAMP)
					AND (%4$s) IN (SELECT %4$s FROM %1$s WHERE %5$s < DATEADD(MILLISECOND, -%2$d, LOCALTIMESTAMP) LIMIT %3$d)""");

	private final String platform;

	private final TimeUnit leaseUnit;

	private final String now;

	private final String nowPlusLease;

	private final String acquire;

	private final String renew;

	private final @Nullable String renewAll;

	private final String release;

	private final @Nullable String releaseAll;

	private final String remainingMillis;

	private final String sweep;

	JdbcDialect(String platform, TimeUnit leaseUnit, String now, String nowPlusLease, String acquire, String renew,
			@Nullable String renewAll, String release, @Nullable String releaseAll, String remainingMillis,
			String sweep) {
		this.platform = platform;
		this.leaseUnit = leaseUnit;
		this.now = now;
		this.nowPlusLease = nowPlusLease;
		this.acquire = acquire;
		this.renew = renew;
		this.renewAll = renewAll;
		this.release = release;
		this.releaseAll = releaseAll;
		this.remainingMillis = remainingMillis;
		this.sweep = sweep;
	}

	/**
	 * Finds the dialect of a database by its product name.
	 * @throws IllegalStateException for a database Phonon does not support
	 */
	static JdbcDialect of(String productName) {
		String name = productName.toLowerCase(Locale.ROOT);
		if (name.contains("postgresql")) {
			return POSTGRESQL;
		}
		if (name.contains("mariadb")) {
			return MARIADB;
		}
		if (name.equals("h2")) {
			return H2;
		}
		throw new IllegalStateException(
				"The jdbc backend supports PostgreSQL, MariaDB (10.5+) and H2, not " + productName
						+ (name.contains("mysql") ? " (MySQL lacks INSERT ... RETURNING, which Phonon's one-statement"
								+ " acquire needs; MariaDB has it)" : ""));
	}

	/** The platform name in {@code schema-<platform>.sql}. */
	String platform() {
		return this.platform;
	}

	/**
	 * The lease as the statements take it, rounded up so the database never expires a
	 * lock early.
	 */
	long lease(Duration lease) {
		long unitNanos = this.leaseUnit.toNanos(1);
		return (lease.toNanos() + unitNanos - 1) / unitNanos;
	}

	/** The database's current time, as an SQL expression. */
	String now() {
		return this.now;
	}

	/**
	 * The database's time plus one parameter, a duration given as
	 * {@link #lease(Duration)} makes it.
	 */
	String nowPlusLease() {
		return this.nowPlusLease;
	}

	/**
	 * Whether the release statement is a query answering a row when released (and
	 * notifying).
	 */
	boolean releaseNotifies() {
		return this == POSTGRESQL;
	}

	String acquire(String table) {
		return this.acquire.formatted(table);
	}

	String renew(String table) {
		return this.renew.formatted(table);
	}

	/**
	 * One statement renewing many locks, given arrays of keys, owners and leases, and
	 * answering {@code lock_key, owner} of each renewed; {@code null} where the database
	 * has no arrays or no {@code UPDATE ... RETURNING}, so a JDBC batch of
	 * {@link #renew(String)} serves.
	 */
	@Nullable String renewAll(String table) {
		return (this.renewAll != null) ? this.renewAll.formatted(table) : null;
	}

	String release(String table) {
		return this.release.formatted(table);
	}

	/**
	 * One statement releasing many locks, given arrays of keys and owners and then the
	 * notice channel, and answering {@code lock_key, owner} of each released;
	 * {@code null} where a JDBC batch of {@link #release(String)} serves.
	 */
	@Nullable String releaseAll(String table) {
		return (this.releaseAll != null) ? this.releaseAll.formatted(table) : null;
	}

	String remainingMillis(String table) {
		return this.remainingMillis.formatted(table);
	}

	/**
	 * Deletes at most {@code limit} rows whose {@code endColumn} passed more than
	 * {@code retentionMillis} ago.
	 * @param keyColumns the table's key, as a comma-separated list
	 */
	String sweep(String table, String keyColumns, String endColumn, long retentionMillis, int limit) {
		return this.sweep.formatted(table, retentionMillis, limit, keyColumns, endColumn);
	}

}
