package io.phonon.backend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.phonon.reference.ReferenceBackend;
import io.phonon.reference.References;
import io.phonon.testsupport.WorkerJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three worker JVMs ({@link ReferenceFaultWorker}) run 1,000 random acquire, mark and
 * release operations over 20 resources; one is killed with {@code kill -9} while it holds
 * references. This JVM then joins as a live process with the same handlers. The ledger in
 * the engine must show every last release handled to completion exactly once, the crashed
 * worker's resources handled too, and every successful mark seen by exactly one last
 * release; {@code count()} must leave out the crashed worker once its session timed out.
 */
@Tag("concurrency")
public abstract class ReferenceFaultTests {

	@TempDir
	Path directory;

	/**
	 * Returns how the workers reach the engine: {@code redis:host:port} or a JDBC URL.
	 */
	protected abstract String engine();

	private List<String> readLedger(String namespace) throws Exception {
		return new TestEngine(engine()).readLedger(namespace);
	}

	@Test
	void everyEmptyingIsHandledToCompletionExactlyOnceThoughAHolderCrashed() throws Exception {
		String namespace = "reffault" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		Path marker = this.directory.resolve("holding");
		ReferenceFaultWorker.ledger(engine(), namespace); // created here, before the
															// workers race to
		List<Process> workers = new ArrayList<>();
		for (int worker = 0; worker < 3; worker++) {
			workers.add(start(namespace, 334, worker == 0, marker));
		}
		// The others finish first, so that no live process reaps before the counts below
		// are read.
		for (Process worker : workers.subList(1, 3)) {
			assertThat(worker.waitFor(3, TimeUnit.MINUTES)).as("worker finished").isTrue();
			assertThat(worker.exitValue()).as("worker exit").isZero();
		}
		await().atMost(Duration.ofMinutes(3)).until(() -> Files.exists(marker));
		workers.get(0).destroyForcibly();
		workers.get(0).waitFor(30, TimeUnit.SECONDS);
		Thread.sleep(ReferenceFaultWorker.SESSION.toMillis() + 300);
		try (ReferenceBackend engine = ReferenceFaultWorker.backend(engine(), namespace)) {
			for (int i = 0; i < 3; i++) {
				assertThat(engine.count("crash:" + i))
					.as("count of crash:%d once the crashed session timed out, before anyone reaped it", i)
					.isZero();
			}
		}
		References checker = ReferenceFaultWorker.references(engine(), namespace,
				ReferenceFaultWorker.ledger(engine(), namespace));
		try {
			await().atMost(Duration.ofMinutes(1))
				.until(() -> readLedger(namespace).stream()
					.filter((entry) -> entry.startsWith("complete ") && entry.contains(" crash:"))
					.count() == 3);
			for (int i = 0; i < 20; i++) {
				assertThat(checker.count("r:" + i)).isZero();
			}
		}
		finally {
			((AutoCloseable) checker).close();
		}

		List<String> ledger = readLedger(namespace);
		Map<String, Integer> completions = new HashMap<>();
		long handedOver = 0;
		long marks = 0;
		for (String entry : ledger) {
			String[] fields = entry.split(" ");
			switch (fields[0]) {
				case "complete" -> {
					completions.merge(fields[1], 1, Integer::sum);
					handedOver += Long.parseLong(fields[3]);
				}
				case "mark" -> marks++;
				default -> {
				}
			}
		}
		assertThat(completions).as("last releases").hasSizeGreaterThan(20);
		assertThat(completions.values()).as("every last release completed exactly once").containsOnly(1);
		assertThat(ledger.stream().filter((entry) -> entry.startsWith("start ")).map((entry) -> entry.split(" ")[1]))
			.as("every started handler completed (no runner died here)")
			.allMatch(completions::containsKey);
		assertThat(ledger).filteredOn((entry) -> entry.startsWith("complete ") && entry.contains(" crash:"))
			.hasSize(3)
			.allMatch((entry) -> entry.split(" ")[3].equals("1"));
		assertThat(handedOver).as("every successful mark seen by exactly one last release").isEqualTo(marks);
	}

	private Process start(String namespace, int operations, boolean crash, Path marker) throws Exception {
		return WorkerJvm.start(ReferenceFaultWorker.class, engine(), namespace, operations, crash, marker);
	}

}
