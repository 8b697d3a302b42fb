package io.phonon.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import javax.sql.DataSource;

import io.phonon.backend.file.FileBackend;
import io.phonon.backend.jdbc.JdbcBackend;
import io.phonon.backend.redis.RedisBackend;
import io.phonon.atom.AtomBackend;
import io.phonon.dogpile.DogpileStore;
import io.phonon.lock.LockBackend;
import io.phonon.reference.ReferenceBackend;
import io.phonon.testsupport.TestDatabases;
import io.phonon.testsupport.TestRedis;

import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * An engine as multi-JVM tests pass it to their workers: {@code redis:<host>:<port>},
 * {@code file:<directory>} or a JDBC URL. Workers build their engines from it, and keep a
 * ledger in it: a Redis list {@code <namespace>:ledger}, the file
 * {@code <namespace>.ledger} (each line one appending write), or the table
 * {@code ledger_<namespace>}.
 */
public record TestEngine(String address) {

	private static final Map<String, DataSource> POOLS = new ConcurrentHashMap<>();

	public LockBackend locks(String namespace) {
		if (isRedis()) {
			return RedisBackend.locks(redis(), namespace);
		}
		if (isFile()) {
			return FileBackend.locks(directory(), namespace);
		}
		return JdbcBackend.locks(dataSource(), namespace, "phonon_", true);
	}

	public ReferenceBackend references(String namespace) {
		if (isRedis()) {
			return RedisBackend.references(redis(), namespace);
		}
		if (isFile()) {
			return FileBackend.references(directory(), namespace);
		}
		return JdbcBackend.references(dataSource(), namespace, "phonon_", true);
	}

	public AtomBackend atoms(String namespace) {
		if (isRedis()) {
			return RedisBackend.atoms(redis(), namespace);
		}
		if (isFile()) {
			return FileBackend.atoms(directory(), namespace);
		}
		return JdbcBackend.atoms(dataSource(), namespace, "phonon_", true);
	}

	/** A shared dogpile store: Redis or JDBC. */
	public DogpileStore<?> dogpiles(String namespace) {
		return isRedis() ? RedisBackend.dogpiles(redis(), namespace)
				: JdbcBackend.dogpiles(dataSource(), namespace, "phonon_", true);
	}

	public Consumer<String> ledger(String namespace) {
		if (isFile()) {
			Path file = ledgerFile(namespace);
			return (entry) -> {
				try {
					Files.writeString(file, entry + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			};
		}
		if (isRedis()) {
			RedisConnectionFactory factory = redis();
			byte[] key = ledgerKey(namespace);
			return (entry) -> {
				try (var connection = factory.getConnection()) {
					connection.listCommands().rPush(key, entry.getBytes(StandardCharsets.UTF_8));
				}
			};
		}
		DataSource dataSource = dataSource();
		String table = ledgerTable(namespace);
		execute(dataSource, "CREATE TABLE IF NOT EXISTS " + table + " (seq BIGSERIAL PRIMARY KEY, entry TEXT NOT NULL)",
				null);
		return (entry) -> execute(dataSource, "INSERT INTO " + table + " (entry) VALUES (?)", entry);
	}

	/** Returns the ledger's entries in the order they were written. */
	public List<String> readLedger(String namespace) throws IOException, SQLException {
		if (isFile()) {
			return Files.readAllLines(ledgerFile(namespace));
		}
		if (isRedis()) {
			try (var connection = redis().getConnection()) {
				return connection.listCommands()
					.lRange(ledgerKey(namespace), 0, -1)
					.stream()
					.map((entry) -> new String(entry, StandardCharsets.UTF_8))
					.toList();
			}
		}
		List<String> entries = new ArrayList<>();
		try (Connection connection = dataSource().getConnection();
				ResultSet rows = connection.createStatement()
					.executeQuery("SELECT entry FROM " + ledgerTable(namespace) + " ORDER BY seq")) {
			while (rows.next()) {
				entries.add(rows.getString(1));
			}
		}
		return entries;
	}

	private boolean isRedis() {
		return this.address.startsWith("redis:");
	}

	private boolean isFile() {
		return this.address.startsWith("file:");
	}

	private Path directory() {
		return Path.of(this.address.substring("file:".length()));
	}

	private Path ledgerFile(String namespace) {
		return directory().resolve(namespace + ".ledger");
	}

	private static byte[] ledgerKey(String namespace) {
		return (namespace + ":ledger").getBytes(StandardCharsets.UTF_8);
	}

	private static String ledgerTable(String namespace) {
		return "ledger_" + namespace.replaceAll("[^A-Za-z0-9]", "_");
	}

	private RedisConnectionFactory redis() {
		String[] hostAndPort = this.address.substring("redis:".length()).split(":");
		return TestRedis.connect(hostAndPort[0], Integer.parseInt(hostAndPort[1]), Duration.ofSeconds(5));
	}

	/**
	 * One pool per database in a JVM: a test polls its ledger, and a pool per poll would
	 * exhaust the server.
	 */
	private DataSource dataSource() {
		return POOLS.computeIfAbsent(this.address, TestDatabases::pool);
	}

	private static void execute(DataSource dataSource, String sql, String parameter) {
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(sql)) {
			if (parameter != null) {
				statement.setString(1, parameter);
			}
			statement.execute();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
