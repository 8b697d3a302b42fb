package io.phonon.backend.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import javax.sql.DataSource;

import io.phonon.PhononBackendException;
import io.phonon.lock.LockBackend;
import io.phonon.testsupport.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Releases at once share statements on one maintenance connection, so that renewals,
 * which use the same pool, always find one: the history is the number of connections the
 * releases held at once, whatever the machine's speed.
 */
class JdbcGroupedReleaseTests {

	@ParameterizedTest
	@ValueSource(strings = { "postgresql", "mariadb", "h2" })
	void releasesAtOnceHoldOneMaintenanceConnectionAndEachIsReleasedOnce(String database) throws Exception {
		DataSource dataSource = TestDatabases.named(database);
		// Each connection is slow to come, so that releases racing for connections meet.
		InUse maintenance = new InUse(dataSource, 20);
		int count = 48;
		try (LockBackend backend = JdbcBackend.locks(dataSource, maintenance, "grouped-" + UUID.randomUUID(), "phonon_",
				true)) {
			for (int i = 0; i < count; i++) {
				assertThat(backend.tryAcquire("job-" + i, "owner-" + i, Duration.ofMinutes(1))).isPresent();
			}
			assertThat(releaseAllAtOnce(backend, count)).as("released the first time").containsOnly(true);
			assertThat(releaseAllAtOnce(backend, count)).as("released the second time").containsOnly(false);
			assertThat(maintenance.most.get()).as("maintenance connections held at once").isEqualTo(1);
			for (int i = 0; i < count; i++) {
				assertThat(backend.tryAcquire("job-" + i, "next", Duration.ofMinutes(1))).as("job-" + i).isPresent();
			}
		}
	}

	@Test
	void aReleaseOnAnInterruptedThreadReleasesAndKeepsTheInterrupt() throws Exception {
		DataSource dataSource = TestDatabases.postgres();
		try (LockBackend backend = JdbcBackend.locks(dataSource, "grouped-" + UUID.randomUUID(), "phonon_", true)) {
			assertThat(backend.tryAcquire("job", "alice", Duration.ofMinutes(1))).isPresent();
			Thread.currentThread().interrupt();
			try {
				assertThat(backend.release("job", "alice")).isTrue();
				assertThat(Thread.currentThread().isInterrupted()).isTrue();
			}
			finally {
				Thread.interrupted();
			}
			assertThat(backend.tryAcquire("job", "bob", Duration.ofMinutes(1))).isPresent();
		}
	}

	@Test
	void aFailingReleaseThrowsNamingTheLock() throws Exception {
		DataSource dataSource = TestDatabases.h2();
		try (LockBackend backend = JdbcBackend.locks(dataSource, "grouped-" + UUID.randomUUID(), "phonon_", true)) {
			assertThat(backend.tryAcquire("job", "alice", Duration.ofMinutes(1))).isPresent();
			try (Connection connection = dataSource.getConnection()) {
				connection.createStatement().execute("DROP TABLE phonon_locks");
			}
			assertThatExceptionOfType(PhononBackendException.class).isThrownBy(() -> backend.release("job", "alice"))
				.withMessageContaining("backend 'jdbc' failed to release lock 'job'");
		}
	}

	private static List<Boolean> releaseAllAtOnce(LockBackend backend, int count) throws Exception {
		CyclicBarrier start = new CyclicBarrier(count);
		ExecutorService threads = Executors.newFixedThreadPool(count);
		try {
			List<Future<Boolean>> releases = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				int index = i;
				releases.add(threads.submit(() -> {
					start.await();
					return backend.release("job-" + index, "owner-" + index);
				}));
			}
			List<Boolean> released = new ArrayList<>();
			for (Future<Boolean> release : releases) {
				released.add(release.get());
			}
			return released;
		}
		finally {
			threads.shutdown();
		}
	}

	/**
	 * A data source that counts the most connections taken from it at once, each handed
	 * out after a delay.
	 */
	private static final class InUse implements DataSource {

		private final DataSource delegate;

		private final long delayMillis;

		private final AtomicInteger now = new AtomicInteger();

		private final AtomicInteger most = new AtomicInteger();

		InUse(DataSource delegate, long delayMillis) {
			this.delegate = delegate;
			this.delayMillis = delayMillis;
		}

		@Override
		public Connection getConnection() throws SQLException {
			try {
				Thread.sleep(this.delayMillis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			Connection connection = this.delegate.getConnection();
			this.most.accumulateAndGet(this.now.incrementAndGet(), Math::max);
			AtomicInteger closed = new AtomicInteger();
			return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
					(proxy, method, arguments) -> {
						if (method.getName().equals("close") && closed.getAndIncrement() == 0) {
							this.now.decrementAndGet();
						}
						try {
							return method.invoke(connection, arguments);
						}
						catch (InvocationTargetException ex) {
							throw ex.getCause();
						}
					});
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			throw new SQLFeatureNotSupportedException();
		}

		@Override
		public PrintWriter getLogWriter() {
			return null;
		}

		@Override
		public void setLogWriter(PrintWriter out) {
		}

		@Override
		public void setLoginTimeout(int seconds) {
		}

		@Override
		public int getLoginTimeout() {
			return 0;
		}

		@Override
		public Logger getParentLogger() throws SQLFeatureNotSupportedException {
			throw new SQLFeatureNotSupportedException();
		}

		@Override
		public <T> T unwrap(Class<T> type) throws SQLException {
			throw new SQLException("not a wrapper");
		}

		@Override
		public boolean isWrapperFor(Class<?> type) {
			return false;
		}

	}

}
