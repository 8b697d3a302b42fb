package io.phonon.backend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.phonon.testsupport.WorkerJvm;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three worker JVMs ({@link DogpileClusterWorker}) of 32 threads each hammer one key of a
 * shared dogpile cache through several expiries. The ledger in the engine must show one
 * regeneration per expiry in the whole cluster (never two at once, never one while a
 * value was fresh, so the first miss computed once); every caller got a computed value;
 * and, while each regeneration of a stale value ran, its JVM's other callers served the
 * stale value. The run lasts until the ledger holds a few regenerations, and the test
 * judges their history alone: how long they and the calls took depends on the machine.
 */
@Tag("concurrency")
public abstract class DogpileClusterTests {

	/**
	 * The regenerations (the first computation among them) after which the workers stop.
	 */
	private static final int REGENERATIONS = 4;

	/** How long the workers may run if the regenerations never come. */
	private static final long RUN_CAP_MILLIS = 120_000;

	@TempDir
	Path directory;

	/**
	 * Returns how the workers reach the engine: {@code redis:host:port} or a JDBC URL.
	 */
	protected abstract String engine();

	@Test
	void oneRegenerationPerExpiryInTheClusterWhileEveryoneElseGetsTheStaleValueAtOnce() throws Exception {
		String namespace = "dogpile" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		TestEngine engine = new TestEngine(engine());
		engine.ledger(namespace); // created here, before the workers race to
		long startAt = System.currentTimeMillis() + 4_000;
		List<Process> workers = new ArrayList<>();
		List<Path> outputs = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			Path output = this.directory.resolve("worker-" + i);
			outputs.add(output);
			workers.add(start(namespace, startAt, output));
		}
		// The run lasts until the ledger holds enough regenerations, however slow the
		// machine; a run that reaches its cap without them fails below.
		long cap = System.currentTimeMillis() + 4_000 + RUN_CAP_MILLIS;
		while (engine.readLedger(namespace)
			.stream()
			.filter((entry) -> entry.startsWith("regen "))
			.count() < REGENERATIONS && System.currentTimeMillis() < cap
				&& workers.stream().allMatch(Process::isAlive)) {
			Thread.sleep(200);
		}
		Files.writeString(this.directory.resolve(DogpileClusterWorker.STOP), "");
		for (Process worker : workers) {
			assertThat(worker.waitFor(4, TimeUnit.MINUTES)).as("worker finished").isTrue();
			assertThat(worker.exitValue()).as("worker exit").isZero();
		}
		List<long[]> regenerations = engine.readLedger(namespace)
			.stream()
			.filter((entry) -> entry.startsWith("regen "))
			.map((entry) -> entry.split(" "))
			.map((fields) -> new long[] { Long.parseLong(fields[2]), Long.parseLong(fields[3]),
					Long.parseLong(fields[4]) })
			.sorted(Comparator.comparingLong((long[] regeneration) -> regeneration[0]))
			.toList();
		assertThat(regenerations).as("the first computation and the regenerations the run waited for")
			.hasSizeGreaterThanOrEqualTo(REGENERATIONS);
		assertThat(regenerations)
			.as("while each regeneration of a stale value ran, every other running thread of"
					+ " every worker was served (had one waited for it, it would have run into its one-minute cap)")
			.allMatch((regeneration) -> regeneration[2] <= 0);
		long expireAfter = DogpileClusterWorker.EXPIRE_AFTER.toMillis();
		for (int i = 1; i < regenerations.size(); i++) {
			long[] previous = regenerations.get(i - 1);
			long[] next = regenerations.get(i);
			assertThat(next[0]).as("regeneration %d started once %d's value expired", i, i - 1)
				.isGreaterThanOrEqualTo(previous[1] + expireAfter - 50);
		}
		List<String> lines = new ArrayList<>();
		for (Path output : outputs) {
			lines.addAll(Files.readAllLines(output));
		}
		// A first call that found no value waits for the lock and then takes whatever
		// value is current:
		// on a loaded machine that may be a later regeneration's. Single flight is shown
		// by the history
		// above (computations never overlap, none starts while a value is fresh), not by
		// which value.
		Set<Long> values = regenerations.stream().map((regeneration) -> regeneration[0]).collect(Collectors.toSet());
		List<long[]> firsts = lines.stream()
			.filter((line) -> line.startsWith("first "))
			.map((line) -> line.split(" "))
			.map((fields) -> new long[] { Long.parseLong(fields[1]), Long.parseLong(fields[2]) })
			.toList();
		assertThat(firsts).as("every thread made a first call").hasSize(3 * DogpileClusterWorker.THREADS);
		assertThat(firsts).as("every first call got a value some regeneration computed")
			.allMatch((first) -> values.contains(first[0]));
		long[] others = lines.stream()
			.filter((line) -> line.startsWith("other "))
			.mapToLong((line) -> Long.parseLong(line.substring(6)))
			.sorted()
			.toArray();
		System.out.printf("%s: %d regenerations, %d other calls, latency p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
				getClass().getSimpleName(), regenerations.size(), others.length, others[others.length / 2] / 1e6,
				others[(int) (others.length * 0.99)] / 1e6, others[others.length - 1] / 1e6);
	}

	private Process start(String namespace, long startAt, Path output) throws Exception {
		return WorkerJvm.start(DogpileClusterWorker.class, engine(), namespace, startAt, RUN_CAP_MILLIS, output);
	}

}
