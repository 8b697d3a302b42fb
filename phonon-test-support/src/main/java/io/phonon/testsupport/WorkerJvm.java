package io.phonon.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a worker JVM for a multi-process test: the same JDK and class path as the
 * test's, its output in a temporary log file named after the worker, so that a test can
 * kill, pause or wait for it as a real process.
 */
public final class WorkerJvm {

	private WorkerJvm() {
	}

	/**
	 * Starts {@code main} with {@code arguments}, each passed as its {@code toString()}.
	 * @return the worker's process
	 */
	public static Process start(Class<?> main, Object... arguments) throws IOException {
		return startIn(null, main, arguments);
	}

	/**
	 * Starts {@code main} in a network namespace ({@code ip netns exec}), as
	 * {@link #start(Class, Object...)} does.
	 * @param namespace the namespace, or null for the test's own
	 * @return the worker's process
	 */
	public static Process startIn(String namespace, Class<?> main, Object... arguments) throws IOException {
		List<String> command = new ArrayList<>();
		if (namespace != null) {
			command.addAll(List.of("ip", "netns", "exec", namespace));
		}
		command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), main.getName()));
		for (Object argument : arguments) {
			command.add(String.valueOf(argument));
		}
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(File.createTempFile("phonon-" + main.getSimpleName() + "-", ".log"))
			.start();
	}

	/**
	 * Returns the wall clock in microseconds, comparable between the processes of one
	 * host.
	 * @return microseconds since the epoch
	 */
	public static long micros() {
		return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
	}

	/**
	 * Writes a line in one write call, so appends of several processes never interleave
	 * within a line.
	 */
	public static void write(Path file, String line, boolean append) {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
			channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
