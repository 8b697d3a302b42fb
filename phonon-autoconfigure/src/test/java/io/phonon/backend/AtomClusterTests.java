package io.phonon.backend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.phonon.testsupport.WorkerJvm;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Four worker JVMs ({@link AtomClusterWorker}) each make 2,000 {@code swap} increments of
 * one shared atom and 2,000 increments of one counter, at once. Both must end at exactly
 * 8,000, and every worker's watches must have seen every change, in version order: 0 to
 * 1, 1 to 2, ... up to 8,000.
 */
@Tag("concurrency")
public abstract class AtomClusterTests {

	private static final int WORKERS = 4;

	private static final int COUNT = 2000;

	@TempDir
	Path directory;

	/**
	 * Returns how the workers reach the engine: {@code redis:host:port} or a JDBC URL.
	 */
	protected abstract String engine();

	@Test
	void everyIncrementCountsAndEveryWatchSeesEveryChangeInOrder() throws Exception {
		String namespace = "atoms" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		Path go = this.directory.resolve("go");
		List<Process> workers = new ArrayList<>();
		List<Path> outputs = new ArrayList<>();
		for (int i = 0; i < WORKERS; i++) {
			Path output = this.directory.resolve("worker-" + i);
			outputs.add(output);
			workers.add(start(namespace, go, output));
		}
		for (Path output : outputs) {
			await().atMost(Duration.ofMinutes(2))
				.until(() -> Files.exists(output.resolveSibling(output.getFileName() + ".ready")));
		}
		Files.writeString(go, "");
		for (Process worker : workers) {
			assertThat(worker.waitFor(4, TimeUnit.MINUTES)).as("worker finished").isTrue();
			assertThat(worker.exitValue()).as("worker exit").isZero();
		}
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < WORKERS * COUNT; i++) {
			expected.add(i + ">" + (i + 1));
		}
		for (Path output : outputs) {
			assertThat(Files.readString(output)).as("final values").isEqualTo(WORKERS * COUNT + " " + WORKERS * COUNT);
			assertThat(Files.readAllLines(output.resolveSibling(output.getFileName() + ".total")))
				.as("changes of the shared atom seen by %s", output.getFileName())
				.containsExactlyElementsOf(expected);
			assertThat(Files.readAllLines(output.resolveSibling(output.getFileName() + ".hits")))
				.as("changes of the counter seen by %s", output.getFileName())
				.containsExactlyElementsOf(expected);
		}
	}

	private Process start(String namespace, Path go, Path output) throws Exception {
		return WorkerJvm.start(AtomClusterWorker.class, engine(), namespace, go, COUNT, WORKERS, output);
	}

}
