package io.phonon.backend.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens on PostgreSQL for release notices ({@code NOTIFY}, sent by the release
 * statement) on one connection of its own, and wakes this JVM's waiters. A lost
 * connection is re-opened after a second; notices missed meanwhile cost the waiters their
 * bounded poll, nothing more.
 */
final class PostgresNotices implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(PostgresNotices.class);

	private final DataSource dataSource;

	private final String channel;

	private final Consumer<String> notice;

	private final Thread thread;

	private volatile boolean closed;

	PostgresNotices(DataSource dataSource, String channel, Consumer<String> notice) {
		this.dataSource = dataSource;
		this.channel = channel;
		this.notice = notice;
		this.thread = new Thread(this::listen, "phonon-jdbc-listen");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void listen() {
		while (!this.closed) {
			try (Connection connection = this.dataSource.getConnection()) {
				connection.setAutoCommit(true);
				try (Statement statement = connection.createStatement()) {
					statement.execute("LISTEN " + this.channel);
				}
				PGConnection notifications = connection.unwrap(PGConnection.class);
				while (!this.closed) {
					PGNotification[] received = notifications.getNotifications(500);
					if (received != null) {
						for (PGNotification notification : received) {
							this.notice.accept(notification.getParameter());
						}
					}
				}
			}
			catch (SQLException ex) {
				if (!this.closed) {
					logger.warn("Lost the PostgreSQL connection listening on " + this.channel
							+ "; waiters poll until it is back: " + ex);
					sleep();
				}
			}
		}
	}

	private void sleep() {
		try {
			TimeUnit.SECONDS.sleep(1);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.closed = true;
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.thread.interrupt();
	}

}
