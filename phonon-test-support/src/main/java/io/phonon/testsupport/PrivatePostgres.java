package io.phonon.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's own, from the PostgreSQL binaries installed on the
 * machine (Debian's, under {@code /usr/lib/postgresql}), run as the {@code postgres} user
 * when the tests run as root (PostgreSQL refuses root). A test may stop, kill or restart
 * it; it never touches a shared server.
 */
public final class PrivatePostgres implements AutoCloseable {

	private final Path binaries;

	private final Path dataDirectory;

	private final int port;

	private final String namespace;

	private final String host;

	private PrivatePostgres(Path binaries, Path dataDirectory, int port, String namespace, String host) {
		this.binaries = binaries;
		this.dataDirectory = dataDirectory;
		this.port = port;
		this.namespace = namespace;
		this.host = host;
	}

	/** Whether this machine has PostgreSQL binaries to start a private server from. */
	public static boolean available() {
		return binaries() != null;
	}

	/** Creates a cluster in a new temporary directory and starts it on a free port. */
	public static PrivatePostgres start() throws IOException, InterruptedException {
		return start(null, "127.0.0.1");
	}

	/**
	 * Creates a cluster in a new temporary directory and starts it on a free port.
	 * @param namespace the network namespace to run it in ({@code ip netns exec}), or
	 * null
	 * @param host the address it listens on
	 * @return the started server
	 */
	public static PrivatePostgres start(String namespace, String host) throws IOException, InterruptedException {
		Path binaries = binaries();
		if (binaries == null) {
			throw new IllegalStateException("No PostgreSQL binaries under /usr/lib/postgresql/*/bin");
		}
		Path directory = Files.createTempDirectory("phonon-postgres");
		if (isRoot()) {
			run(List.of("chown", "postgres", directory.toString()));
		}
		PrivatePostgres postgres = new PrivatePostgres(binaries, directory, TestRedis.freePort(), namespace, host);
		postgres.runAsOwner("initdb", "-D", postgres.dataDirectory.resolve("data").toString(), "-A", "trust", "-U",
				"postgres", "--no-sync", "-E", "UTF8");
		// Trust the test hosts of a TestNetwork too, not only loopback.
		Files.writeString(postgres.dataDirectory.resolve("data").resolve("pg_hba.conf"),
				"host all all 0.0.0.0/0 trust\n", StandardOpenOption.APPEND);
		postgres.startServer();
		return postgres;
	}

	public String jdbcUrl() {
		return "jdbc:postgresql://" + this.host + ":" + this.port + "/postgres?user=postgres";
	}

	public int port() {
		return this.port;
	}

	/** Starts the server (again), waiting until it accepts connections. */
	public void startServer() throws IOException, InterruptedException {
		runAsOwner("pg_ctl", "-D", this.dataDirectory.resolve("data").toString(), "-l",
				this.dataDirectory.resolve("server.log").toString(), "-w", "-t", "60", "-o",
				"-p " + this.port + " -k " + this.dataDirectory + " -c listen_addresses=" + this.host + " -c fsync=off"
						+ " -c max_connections=200",
				"start");
	}

	/** Stops the server at once, as a crash would (no checkpoint). */
	public void stopServer() throws IOException, InterruptedException {
		runAsOwner("pg_ctl", "-D", this.dataDirectory.resolve("data").toString(), "-m", "immediate", "-w", "stop");
	}

	@Override
	public void close() throws IOException, InterruptedException {
		try {
			stopServer();
		}
		finally {
			try (Stream<Path> paths = Files.walk(this.dataDirectory)) {
				for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(path);
				}
			}
		}
	}

	private void runAsOwner(String program, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		if (this.namespace != null) {
			command.addAll(List.of("ip", "netns", "exec", this.namespace));
		}
		if (isRoot()) {
			command.addAll(List.of("runuser", "-u", "postgres", "--"));
		}
		command.add(this.binaries.resolve(program).toString());
		command.addAll(List.of(arguments));
		run(command);
	}

	private static void run(List<String> command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
			throw new IOException(String.join(" ", command) + " failed:\n" + output);
		}
	}

	private static boolean isRoot() {
		return "root".equals(System.getProperty("user.name"));
	}

	private static Path binaries() {
		Path root = Path.of("/usr/lib/postgresql");
		if (!Files.isDirectory(root)) {
			return null;
		}
		try (Stream<Path> versions = Files.list(root)) {
			return versions.map((version) -> version.resolve("bin"))
				.filter((bin) -> Files.isExecutable(bin.resolve("pg_ctl")) && Files.isExecutable(bin.resolve("initdb")))
				.max(Comparator.naturalOrder())
				.orElse(null);
		}
		catch (IOException ex) {
			return null;
		}
	}

}
