package io.phonon.backend.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Predicate;
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

	/** The one-statement renewal of many locks, where the dialect has one. */
	private final @Nullable String renewAll;

	private final String release;

	/** The one-statement release of many locks, where the dialect has one. */
	private final @Nullable String releaseAll;

	private final GroupedReleases groupedReleases = new GroupedReleases(this::releaseAll);

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
		this.renewAll = this.dialect.renewAll(table);
		this.release = this.dialect.release(table);
		this.releaseAll = this.dialect.releaseAll(table);
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
	 * Renews the batch as one statement over arrays where the database has them
	 * (PostgreSQL), else as one JDBC batch of the renew statement: one round trip where
	 * the driver sends batches together, one by one where the driver does not say which
	 * rows each statement changed.
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
		String what = "renew " + renewals.size() + " locks";
		if (this.renewAll != null) {
			Long[] leases = renewals.stream()
				.map((renewal) -> this.dialect.lease(renewal.lease()))
				.toArray(Long[]::new);
			return atOnce(what, this.renewAll, renewals, (renewal) -> lockKey(renewal.id()), Renewal::owner,
					(statement) -> statement.setArray(3, statement.getConnection().createArrayOf("bigint", leases)));
		}
		return inABatch(what, this.renew, renewals, (statement, renewal) -> {
			statement.setLong(1, this.dialect.lease(renewal.lease()));
			statement.setString(2, lockKey(renewal.id()));
			statement.setString(3, renewal.owner());
		}, (renewal) -> renew(renewal.id(), renewal.owner(), renewal.lease()));
	}

	@Override
	public boolean release(String id, String owner) {
		String key = lockKey(id);
		boolean released = this.groupedReleases.release(id, key, owner);
		// Waiters in this JVM need not wait for the database's notice.
		this.releases.signal(key);
		return released;
	}

	/** Runs one statement releasing a batch of locks, as {@link GroupedReleases} asks. */
	private boolean[] releaseAll(List<GroupedReleases.Release> batch) {
		if (batch.size() == 1) {
			GroupedReleases.Release only = batch.get(0);
			return new boolean[] { releaseOne(only.id(), only.key(), only.owner()) };
		}
		String what = "release " + batch.size() + " locks";
		if (this.releaseAll != null) {
			return atOnce(what, this.releaseAll, batch, GroupedReleases.Release::key, GroupedReleases.Release::owner,
					(statement) -> statement.setString(3, this.channel));
		}
		return inABatch(what, this.release, batch, (statement, release) -> {
			statement.setString(1, release.key());
			statement.setString(2, release.owner());
		}, (release) -> releaseOne(release.id(), release.key(), release.owner()));
	}

	private boolean releaseOne(String id, String key, String owner) {
		return execute(this.maintenance, "release", id, this.release, (statement) -> {
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
	}

	/**
	 * Runs a statement over arrays of keys and owners (parameters 1 and 2) that answers
	 * {@code lock_key, owner} of each row it changed, and says, in order, which items
	 * those were.
	 */
	private <T> boolean[] atOnce(String what, String sql, List<T> items, Function<T, String> key,
			Function<T, String> owner, StatementSetter more) {
		String[] keys = new String[items.size()];
		String[] owners = new String[keys.length];
		Map<String, Integer> positions = new HashMap<>(keys.length * 2);
		for (int i = 0; i < keys.length; i++) {
			T item = items.get(i);
			keys[i] = key.apply(item);
			owners[i] = owner.apply(item);
			positions.put(keys[i] + owners[i], i);
		}
		return run(this.maintenance, what, sql, (statement) -> {
			Connection connection = statement.getConnection();
			statement.setArray(1, connection.createArrayOf("text", keys));
			statement.setArray(2, connection.createArrayOf("text", owners));
			more.set(statement);
			boolean[] changed = new boolean[keys.length];
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					Integer position = positions.get(rows.getString(1) + rows.getString(2));
					if (position != null) {
						changed[position] = true;
					}
				}
			}
			return changed;
		}, new boolean[keys.length]);
	}

	/**
	 * Runs an update once per item as one JDBC batch: one round trip where the driver
	 * sends batches together; item by item where the driver does not say which rows each
	 * statement changed.
	 */
	private <T> boolean[] inABatch(String what, String sql, List<T> items, ItemSetter<T> setter,
			Predicate<T> oneByOne) {
		int[] counts = run(this.maintenance, what, sql, (statement) -> {
			for (T item : items) {
				setter.set(statement, item);
				statement.addBatch();
			}
			return statement.executeBatch();
		}, new int[0]);
		boolean[] changed = new boolean[items.size()];
		boolean countsKnown = counts.length == items.size() && Arrays.stream(counts).allMatch((count) -> count >= 0);
		for (int i = 0; i < changed.length; i++) {
			changed[i] = countsKnown ? counts[i] == 1 : oneByOne.test(items.get(i));
		}
		return changed;
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

	@FunctionalInterface
	private interface StatementSetter {

		void set(PreparedStatement statement) throws SQLException;

	}

	@FunctionalInterface
	private interface ItemSetter<T> {

		void set(PreparedStatement statement, T item) throws SQLException;

	}

}
