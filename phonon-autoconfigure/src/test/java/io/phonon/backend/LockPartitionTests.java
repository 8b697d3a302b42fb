package io.phonon.backend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.phonon.testsupport.FencedHistory;
import io.phonon.testsupport.FencedHistory.Section;
import io.phonon.testsupport.TestNetwork;
import io.phonon.testsupport.TestNetwork.TestHost;
import io.phonon.testsupport.WorkerJvm;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real network partition: the engine on one test host, three worker JVMs
 * ({@link LockFaultWorker}) on three others, fenced sections on one lock. Inside its 30th
 * section one worker's host is cut off the network for three leases and until another
 * worker has been through a section, then healed, and the section ends; the fenced store
 * (a file) stays within its reach. The history must show that it found its lease invalid
 * and its fenced write refused, that the others went on meanwhile, and that no two valid
 * leases overlapped and tokens increased across the partition.
 */
class LockPartitionTests {

	private static final int SECTIONS = 60;

	private static final long LEASE_MILLIS = 1000;

	@TempDir
	Path directory;

	@ParameterizedTest
	@EnumSource(PartitionedEngine.class)
	void aHolderCutOffPastItsLeaseLosesItAndItsFencedWritesAreRefused(PartitionedEngine kind) throws Exception {
		List<AutoCloseable> started = new ArrayList<>();
		List<Process> workers = new ArrayList<>();
		try (TestNetwork network = TestNetwork.create()) {
			try {
				String engine = kind.start(network.host("engine"), started);
				TestHost cutOff = network.host("w0");
				workers.add(WorkerJvm.startIn(cutOff.namespace(), LockFaultWorker.class, engine, this.directory,
						SECTIONS, -1, SECTIONS / 2, -1, LEASE_MILLIS, -1));
				// The others wait after a few sections until the holder is cut off, so
				// that they run through the partition rather than finish before it.
				for (int i = 1; i < 3; i++) {
					workers.add(WorkerJvm.startIn(network.host("w" + i).namespace(), LockFaultWorker.class, engine,
							this.directory, SECTIONS, -1, -1, 5, LEASE_MILLIS, -1));
				}
				await().atMost(Duration.ofMinutes(3))
					.failFast("a worker ended (its log is in the temporary directory)",
							() -> workers.stream().anyMatch((worker) -> !worker.isAlive()))
					.until(() -> Files.exists(this.directory.resolve("paused")));
				network.cut(cutOff);
				long cutAt = WorkerJvm.micros();
				WorkerJvm.write(this.directory.resolve("killed"), "", false); // go on
				Thread.sleep(3 * LEASE_MILLIS);
				// Healed once another worker has been through a section that began after
				// the cut (the cut-off one cannot begin any), however slow the machine
				// is.
				Path history = this.directory.resolve("history");
				await().atMost(Duration.ofMinutes(3))
					.ignoreExceptions()
					.until(() -> FencedHistory.read(history).stream().anyMatch((section) -> section.start() > cutAt));
				network.heal(cutOff);
				long healedAt = WorkerJvm.micros();
				WorkerJvm.write(this.directory.resolve("continued"), "", false); // end
																					// the
																					// section
				for (Process worker : workers) {
					assertThat(worker.waitFor(5, TimeUnit.MINUTES)).as("worker finished").isTrue();
					assertThat(worker.exitValue()).as("worker exit").isZero();
				}
				List<Section> sections = FencedHistory.read(history);
				assertThat(sections).hasSize(3 * SECTIONS);
				assertThat(FencedHistory.overlaps(sections)).as("overlapping valid sections").isEmpty();
				assertThat(FencedHistory.regressions(sections)).as("token regressions").isEmpty();
				assertThat(sections).filteredOn(Section::valid).allMatch(Section::accepted);
				Section stale = sections.stream().filter(Section::marked).findFirst().orElseThrow();
				assertThat(stale.valid()).as("the cut-off holder's lease valid").isFalse();
				assertThat(stale.accepted()).as("the cut-off holder's fenced write accepted").isFalse();
				long duringCut = sections.stream()
					.filter((section) -> section.pid() != stale.pid() && section.start() > cutAt
							&& section.end() < healedAt)
					.count();
				assertThat(duringCut).as("sections of the others while it was cut off").isPositive();
				System.out.printf("Lock partition (%s): %d sections, %d by the others during the %d ms cut,"
						+ " 0 overlapping valid leases, 0 token regressions, the cut-off holder's write refused%n",
						kind, sections.size(), duringCut, (healedAt - cutAt) / 1000);
			}
			finally {
				workers.forEach(Process::destroyForcibly);
				PartitionedEngine.stop(started);
			}
		}
	}

}
