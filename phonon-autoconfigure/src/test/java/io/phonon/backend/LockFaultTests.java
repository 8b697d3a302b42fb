package io.phonon.backend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.phonon.testsupport.FencedHistory;
import io.phonon.testsupport.FencedHistory.Section;
import io.phonon.testsupport.WorkerJvm;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Four worker JVMs ({@link LockFaultWorker}) run at least 200 fenced sections each on one
 * lock of a private engine, while the test injects faults: a restart of the engine, a
 * holder stopped ({@code SIGSTOP}) for three leases and then continued, and a holder
 * killed with {@code kill -9}. The history must show that sections holding a valid lease
 * never overlap, that their tokens increase in the order they ran and their fenced writes
 * were all accepted; that the stopped holder found its lease invalid and its write
 * refused; that callers saw the restart as {@code PhononBackendException} and carried on;
 * and that nobody entered after the kill before the dead holder's lease ran out.
 */
@Tag("concurrency")
public abstract class LockFaultTests {

	protected static final long LEASE_MILLIS = 1000;

	private static final int SECTIONS = 200;

	@TempDir
	Path directory;

	/**
	 * Returns how the workers reach the engine: {@code redis:host:port} or a JDBC URL.
	 */
	protected abstract String engine();

	protected abstract void stopEngine() throws Exception;

	protected abstract void startEngine() throws Exception;

	/**
	 * Returns when the engine will expire the lock {@code fault} unless renewed, in epoch
	 * microseconds, checking it is {@code token}'s.
	 */
	protected abstract long leaseExpiryMicros(long token) throws Exception;

	@Test
	void validLeasesNeverOverlapUnderRestartPauseAndKill() throws Exception {
		List<Process> workers = new ArrayList<>();
		// The others wait for the pause before their 110th section, so that they still
		// run while the paused worker is stopped.
		int pausedBy = SECTIONS * 11 / 20;
		workers.add(start(SECTIONS, -1, -1, pausedBy)); // holds in one more section
		workers.add(start(-1, SECTIONS / 2, -1, -1)); // stopped inside its 100th
		workers.add(start(-1, -1, SECTIONS * 3 / 4, pausedBy)); // wait for the kill
		workers.add(start(-1, -1, SECTIONS * 3 / 4, pausedBy)); // before their 150th
		Path history = this.directory.resolve("history");

		// The pause first, while the engine is up, so that the others take the lock
		// while the paused worker is stopped; it stays in its section until told to go
		// on.
		Process paused = workers.get(1);
		await().atMost(Duration.ofMinutes(3)).until(() -> Files.exists(this.directory.resolve("paused")));
		signal("STOP", paused);
		Thread.sleep(3 * LEASE_MILLIS);
		signal("CONT", paused);
		WorkerJvm.write(this.directory.resolve("continued"), "", false);

		// The restart while every worker still runs sections.
		stopEngine();
		Thread.sleep(2000);
		startEngine();
		WorkerJvm.write(this.directory.resolve("restarted"), "", false);

		await().atMost(Duration.ofMinutes(3)).until(() -> Files.exists(this.directory.resolve("held")));
		String[] held = Files.readString(this.directory.resolve("held")).trim().split(" ");
		long heldToken = Long.parseLong(held[0]);
		Thread.sleep(LEASE_MILLIS); // the holder renews its lease at least once more
		// Read while the holder still holds and renews: its lease can only end later than
		// this.
		long expiresAt = leaseExpiryMicros(heldToken);
		workers.get(0).destroyForcibly(); // SIGKILL: no release, no more renewal
		workers.get(0).waitFor(30, TimeUnit.SECONDS);
		long killedAt = WorkerJvm.micros();
		WorkerJvm.write(this.directory.resolve("killed"), "", false);
		for (Process worker : workers.subList(1, 4)) {
			assertThat(worker.waitFor(5, TimeUnit.MINUTES)).as("worker finished").isTrue();
			assertThat(worker.exitValue()).as("worker exit").isZero();
		}

		List<Section> sections = FencedHistory.read(history);
		assertThat(sections).hasSize(4 * SECTIONS);
		assertThat(FencedHistory.overlaps(sections)).as("overlapping valid sections").isEmpty();
		assertThat(FencedHistory.regressions(sections)).as("token regressions").isEmpty();
		List<Section> valid = sections.stream().filter(Section::valid).toList();
		assertThat(valid).as("every fenced write of a valid holder is accepted").allMatch(Section::accepted);
		assertThat(sections).filteredOn(Section::marked)
			.singleElement()
			.satisfies((section) -> assertThat(section.valid()).as("stopped holder's lease valid").isFalse())
			.satisfies((section) -> assertThat(section.accepted()).as("stopped holder's write accepted").isFalse());
		assertThat(sections).filteredOn((section) -> section.start() > killedAt)
			.hasSizeGreaterThanOrEqualTo(2 * SECTIONS / 4)
			.allSatisfy((section) -> assertThat(section.start()).as("start after the dead holder's lease ran out")
				.isGreaterThanOrEqualTo(expiresAt));
		long failures = 0;
		try (var files = Files.list(this.directory)) {
			for (Path file : files.filter((path) -> path.getFileName().toString().startsWith("failures-")).toList()) {
				failures += Long.parseLong(Files.readString(file).trim());
			}
		}
		assertThat(failures).as("engine failures seen by the workers during the restart").isPositive();
	}

	private Process start(int holdAt, int pauseAt, int waitAt, int pausedBy) throws Exception {
		return WorkerJvm.start(LockFaultWorker.class, engine(), this.directory, SECTIONS, holdAt, pauseAt, waitAt,
				LEASE_MILLIS, pausedBy);
	}

	private static void signal(String signal, Process process) throws Exception {
		Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start();
		assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(kill.exitValue()).as("kill -" + signal).isZero();
	}

}
