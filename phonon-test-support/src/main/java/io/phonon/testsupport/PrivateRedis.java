package io.phonon.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

import static org.awaitility.Awaitility.await;

/**
 * A {@code redis-server} process of a test's own, which the test may kill with
 * {@code kill -9}, stop, continue and start again on the same port: the machine's
 * {@code redis-server} (Debian's) when it has one, else the embedded-redis binary (Redis
 * 6.2, Linux x86-64). It keeps nothing on disk unless its settings say so, runs in the
 * given network namespace if any, and is killed when the test JVM ends.
 */
public final class PrivateRedis implements AutoCloseable {

	private static Path binary;

	private final List<String> command;

	private final String host;

	private final int port;

	private final Path directory;

	private Process process;

	private PrivateRedis(List<String> command, String host, int port, Path directory) {
		this.command = command;
		this.host = host;
		this.port = port;
		this.directory = directory;
	}

	/**
	 * Starts a server on loopback.
	 * @param settings {@code redis.conf} lines, such as {@code "cluster-enabled yes"}
	 * @return the started server
	 */
	public static PrivateRedis start(String... settings) throws IOException {
		return start(null, "127.0.0.1", TestRedis.freePort(), settings);
	}

	/**
	 * Starts a server.
	 * @param namespace the network namespace to run it in ({@code ip netns exec}), or
	 * null
	 * @param host the address it listens on
	 * @param port its port
	 * @param settings {@code redis.conf} lines
	 * @return the started server
	 */
	public static PrivateRedis start(String namespace, String host, int port, String... settings) throws IOException {
		Path directory = Files.createTempDirectory("phonon-redis-" + port + "-");
		List<String> command = new ArrayList<>();
		if (namespace != null) {
			command.addAll(List.of("ip", "netns", "exec", namespace));
		}
		command.addAll(List.of(binary().toString(), "--port", String.valueOf(port), "--bind", host, "--save", "",
				"--appendonly", "no", "--dir", directory.toString(), "--protected-mode", "no"));
		for (String setting : settings) {
			String[] nameAndValue = setting.split(" ", 2);
			command.add("--" + nameAndValue[0]);
			command.addAll(List.of(nameAndValue[1].split(" ")));
		}
		PrivateRedis redis = new PrivateRedis(command, host, port, directory);
		redis.startServer();
		return redis;
	}

	/**
	 * Starts a Sentinel on loopback that watches {@code master} as {@code masterName},
	 * finds it down after one second and fails over with a quorum of two.
	 * @return the started sentinel
	 */
	public static PrivateRedis sentinel(String masterName, PrivateRedis master) throws IOException {
		int port = TestRedis.freePort();
		Path directory = Files.createTempDirectory("phonon-sentinel-" + port + "-");
		Path configuration = directory.resolve("sentinel.conf");
		Files.writeString(configuration,
				String.join("\n", "port " + port, "bind 127.0.0.1", "protected-mode no", "dir " + directory,
						"sentinel monitor " + masterName + " " + master.host() + " " + master.port() + " 2",
						"sentinel down-after-milliseconds " + masterName + " 1000",
						"sentinel failover-timeout " + masterName + " 4000",
						"sentinel parallel-syncs " + masterName + " 2", ""));
		PrivateRedis sentinel = new PrivateRedis(List.of(binary().toString(), configuration.toString(), "--sentinel"),
				"127.0.0.1", port, directory);
		sentinel.startServer();
		return sentinel;
	}

	/** Starts the server again after {@link #kill()}, with the same settings. */
	public synchronized void startServer() throws IOException {
		this.process = new ProcessBuilder(this.command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("server.log").toFile()))
			.start();
		Process started = this.process;
		Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
		await().atMost(Duration.ofMinutes(1)).until(() -> {
			if (!started.isAlive()) {
				throw new IllegalStateException(
						"redis-server ended at start: " + Files.readString(this.directory.resolve("server.log")));
			}
			return ping();
		});
	}

	/** Kills the server with {@code kill -9}: no shutdown, nothing saved. */
	public synchronized void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(30, TimeUnit.SECONDS);
	}

	/** Stops ({@code SIGSTOP}) or continues ({@code SIGCONT}) the server. */
	public void signal(String signal) throws IOException, InterruptedException {
		Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(this.process.pid())).inheritIO().start();
		if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
			throw new IllegalStateException("kill -" + signal + " " + this.process.pid() + " failed");
		}
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	public String host() {
		return this.host;
	}

	public int port() {
		return this.port;
	}

	/** Returns {@code host:port}. */
	public String address() {
		return this.host + ":" + this.port;
	}

	/** Returns the server's directory, where a sentinel's configuration goes. */
	public Path directory() {
		return this.directory;
	}

	/**
	 * Runs one command on the server through a connection of its own.
	 * @param action what to do with the connection
	 * @return what the action returns
	 */
	public <T> T call(Function<StatefulRedisConnection<String, String>, T> action) {
		RedisClient client = RedisClient.create(
				RedisURI.builder().withHost(this.host).withPort(this.port).withTimeout(Duration.ofSeconds(10)).build());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return action.apply(connection);
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
	}

	private boolean ping() {
		try {
			return "PONG".equals(call((connection) -> connection.sync().ping()));
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	@Override
	public void close() throws InterruptedException {
		kill();
	}

	/**
	 * The server binary: {@code redis-server} on the PATH, else the embedded-redis one
	 * copied out of its jar.
	 */
	static synchronized Path binary() throws IOException {
		if (binary == null) {
			for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
				Path candidate = Path.of(directory, "redis-server");
				if (Files.isExecutable(candidate)) {
					binary = candidate;
					return binary;
				}
			}
			try (InputStream embedded = PrivateRedis.class.getResourceAsStream("/redis-server-6.2.6-v5-linux-amd64")) {
				if (embedded == null) {
					throw new IllegalStateException("No redis-server on the PATH and no embedded-redis binary for"
							+ " this platform: install Debian's redis-server");
				}
				Path copy = Files.createTempFile("phonon-redis-server", "");
				Files.copy(embedded, copy, StandardCopyOption.REPLACE_EXISTING);
				copy.toFile().setExecutable(true);
				copy.toFile().deleteOnExit();
				binary = copy;
			}
			System.out.println("Private Redis servers run " + binary);
		}
		return binary;
	}

}
