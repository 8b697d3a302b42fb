package io.phonon.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a worker JVM for a multi-process test: the same JDK and class path as the test's, its
 * output in a temporary log file named after the worker, so that a test can kill, pause or wait
 * for it as a real process.
 */
public final class WorkerJvm {

	private WorkerJvm() {
	}

	/**
	 * Starts {@code main} with {@code arguments}, each passed as its {@code toString()}.
	 * @return the worker's process
	 */
	public static Process start(Class<?> main, Object... arguments) throws IOException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), main.getName()));
		for (Object argument : arguments) {
			command.add(String.valueOf(argument));
		}
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(File.createTempFile("phonon-" + main.getSimpleName() + "-", ".log"))
			.start();
	}

}
