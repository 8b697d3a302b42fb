package io.phonon.backend.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.phonon.PhononBackendException;
import io.phonon.lock.LockBackend;
import io.phonon.backend.support.ReleaseSignals;
import org.jspecify.annotations.Nullable;

/**
 * Locks as rows of {@code <prefix>locks}, keyed by the SHA-256 of namespace and id.
 * Acquire is one statement that inserts the row, or takes over a released or expired one,
 * or renews the caller's own, and answers the row's token and owner. A new token is the
 * greater of the row's last plus one and the database's clock in microseconds. Renew and
 * release are owner-checked updates. A row stays {@link #RETENTION} after its lock ended,
 * then a {@link JdbcSweep} of the acquisitions deletes it; an id locked again later takes
 * its token from the clock, above the deleted row's as long as the clock did not step
 * back by more than the retention. PostgreSQL wakes waiters by {@code NOTIFY}; elsewhere
 * they poll, at most every 50 ms and at the holder's expiry.
 */
final class JdbcLockBackend implements LockBackend {

	/**
	 * Waiters' longest sleep where the database announces releases: what a lost notice
	 * costs.
	 */
	private static final long NOTIFIED_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	/** Waiters' longest sleep where it does not. */
	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	/**
	 * A statement that a deadlock or serialization failure rolled back is tried this
	 * often.
	 */
	private static final int ATTEMPTS = 3;

	/**
	 * How long a row outlives its lock, keeping the last token: what a step back of the
	 * clock may be.
	 */
	static final Duration RETENTION = Duration.ofMinutes(1);

	private final JdbcSweep sweep;

	private final DataSource dataSource;

	/**
	 * Where renewals and releases run, so that they never wait behind the application's
	 * work.
	 */
	private final DataSource maintenance;

	private final String namespace;

	private final JdbcDialect dialect;

	private final String acquire;

	private final String renew;

	private final String release;

	private final String remainingMillis;

	private final String channel;

	private final ReleaseSignals releases;

	JdbcLockBackend(DataSource dataSource, DataSource maintenance, String namespace, String tablePrefix,
			boolean initializeSchema) {
		this(dataSource, maintenance, namespace, tablePrefix, initializeSchema, RETENTION);
	}

	JdbcLockBackend(DataSource dataSource, DataSource maintenance, String namespace, String tablePrefix,
			boolean initializeSchema, Duration retention) {
		this.dialect = JdbcSchema.prepare(dataSource, tablePrefix, initializeSchema);
		this.dataSource = dataSource;
		this.maintenance = maintenance;
		this.namespace = namespace;
		String table = tablePrefix + "locks";
		this.acquire = this.dialect.acquire(table);
		this.renew = this.dialect.renew(table);
		this.release = this.dialect.release(table);
		this.remainingMillis = this.dialect.remainingMillis(table);
		this.sweep = new JdbcSweep(dataSource, this.dialect, table, "lock_key", "expires_at", retention);
		this.channel = "phonon_" + JdbcSchema.sha256(namespace + ":" + table).substring(0, 24);
		this.releases = this.dialect.releaseNotifies()
				? new ReleaseSignals((signals) -> new PostgresNotices(dataSource, this.channel, signals::signal))
				: new ReleaseSignals();
	}

	@Override
	public String name() {
		return JdbcBackend.NAME;
	}

	@Override
	public OptionalLong tryAcquire(String id, String owner, Duration lease) {
		this.sweep.written();
		return execute(this.dataSource, "acquire", id, this.acquire, (statement) -> {
			statement.setString(1, lockKey(id));
			statement.setString(2, JdbcSchema.storable(id));
			statement.setString(3, owner);
			statement.setLong(4, this.dialect.lease(lease));
			try (ResultSet row = statement.executeQuery()) {
				return (row.next() && owner.equals(row.getString(2))) ? OptionalLong.of(row.getLong(1))
						: OptionalLong.empty();
			}
		}, OptionalLong.empty());
	}

	/**
	 * Deletes rows of locks that ended more than the retention ago, a bounded number at a
	 * time.
	 */
	int sweep() {
		return this.sweep.sweep();
	}

	@Override
	public boolean renew(String id, String owner, Duration lease) {
		return execute(this.maintenance, "renew", id, this.renew, (statement) -> {
			statement.setLong(1, this.dialect.lease(lease));
			statement.setString(2, lockKey(id));
			statement.setString(3, owner);
			return statement.executeUpdate() == 1;
		}, false);
	}

	/**
	 * Renews the batch as one JDBC batch of the renew statement: one round trip where the
	 * driver sends batches together (PostgreSQL's does), one by one where the driver does
	 * not say which rows each statement changed.
	 */
	@Override
	public int renewalBatchSize() {
		return 500;
	}

	@Override
	public boolean[] renewAll(List<Renewal> renewals) {
		if (renewals.size() < 2) {
			return LockBackend.super.renewAll(renewals);
		}
		int[] counts = run(this.maintenance, "renew " + renewals.size() + " locks", this.renew, (statement) -> {
			for (Renewal renewal : renewals) {
				statement.setLong(1, this.dialect.lease(renewal.lease()));
				statement.setString(2, lockKey(renewal.id()));
				statement.setString(3, renewal.owner());
				statement.addBatch();
			}
			return statement.executeBatch();
		}, new int[0]);
		if (counts.length != renewals.size() || Arrays.stream(counts).anyMatch((count) -> count < 0)) {
			return LockBackend.super.renewAll(renewals);
		}
		boolean[] renewed = new boolean[counts.length];
		for (int i = 0; i < counts.length; i++) {
			renewed[i] = counts[i] == 1;
		}
		return renewed;
	}

	@Override
	public boolean release(String id, String owner) {
		String key = lockKey(id);
		boolean released = execute(this.maintenance, "release", id, this.release, (statement) -> {
			statement.setString(1, key);
			statement.setString(2, owner);
			if (!this.dialect.releaseNotifies()) {
				return statement.executeUpdate() == 1;
			}
			statement.setString(3, this.channel);
			try (ResultSet row = statement.executeQuery()) {
				return row.next();
			}
		}, false);
		// Waiters in this JVM need not wait for the database's notice.
		this.releases.signal(key);
		return released;
	}

	@Override
	public void awaitRelease(String id, Duration maxWait) throws InterruptedException {
		String key = lockKey(id);
		try (ReleaseSignals.Registration registration = this.releases.register(key)) {
			Long remaining = execute(this.dataSource, "wait for", id, this.remainingMillis, (statement) -> {
				statement.setString(1, key);
				try (ResultSet row = statement.executeQuery()) {
					return row.next() ? row.getLong(1) : null;
				}
			}, null);
			if (remaining != null && remaining > 0) {
				long poll = this.dialect.releaseNotifies() ? NOTIFIED_POLL_NANOS : POLL_NANOS;
				registration
					.await(Math.min(Math.min(maxWait.toNanos(), poll), TimeUnit.MILLISECONDS.toNanos(remaining)));
			}
		}
	}

	@Override
	public void close() {
		this.releases.close();
	}

	@Override
	public String toString() {
		return "JdbcLockBackend[" + this.dialect.platform() + ", " + this.namespace + "]";
	}

	private <T extends @Nullable Object> T execute(DataSource source, String operation, String id, String sql,
			StatementCall<T> call, T rolledBack) {
		return run(source, operation + " lock '" + ((id.length() <= 200) ? id : id.substring(0, 200) + "...") + "'",
				sql, call, rolledBack);
	}

	/**
	 * Runs one statement on a connection of {@code source}, again if the database rolled
	 * it back.
	 * @param what what is done, for the exception's message: "failed to ..."
	 */
	private <T extends @Nullable Object> T run(DataSource source, String what, String sql, StatementCall<T> call,
			T rolledBack) {
		SQLException failure = null;
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			try (Connection connection = source.getConnection()) {
				if (!connection.getAutoCommit()) {
					connection.setAutoCommit(true);
				}
				try (PreparedStatement statement = connection.prepareStatement(sql)) {
					return call.run(statement);
				}
			}
			catch (SQLException ex) {
				if (isLostRace(ex)) {
					return rolledBack; // another owner's insert of the same new row won
				}
				if (!isRolledBackByTheDatabase(ex)) {
					throw new PhononBackendException(JdbcBackend.NAME, what, ex);
				}
				failure = ex;
			}
		}
		throw new PhononBackendException(JdbcBackend.NAME,
				what + " (rolled back " + ATTEMPTS + " times by deadlock or serialization failures)", failure);
	}

	private static boolean isLostRace(SQLException ex) {
		return "23505".equals(ex.getSQLState()) || "23000".equals(ex.getSQLState());
	}

	private static boolean isRolledBackByTheDatabase(SQLException ex) {
		return "40001".equals(ex.getSQLState()) || "40P01".equals(ex.getSQLState());
	}

	private String lockKey(String id) {
		return JdbcSchema.key(this.namespace, id);
	}

	@FunctionalInterface
	private interface StatementCall<T extends @Nullable Object> {

		T run(PreparedStatement statement) throws SQLException;

	}

}
