package io.phonon.backend.file;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.phonon.testsupport.WorkerJvm;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three JVMs contend for one file lock: 300 critical sections, each recorded with its
 * fencing token; one more holder is killed with {@code kill -9} while it holds the lock.
 * The history must show no two sections overlapping, tokens increasing in the order the
 * sections ran, and nobody inside the lock after the kill before the killed holder's
 * lease ran out.
 */
@Tag("concurrency")
class FileLockMultiProcessTests {

	private static final int SECTIONS_PER_WORKER = 100;

	private static final long LEASE_MILLIS = 1500;

	@TempDir
	Path directory;

	@Test
	void threeProcessesNeverOverlapAndAKilledHolderKeepsTheLockUntilItsLeaseRunsOut() throws Exception {
		Path history = this.directory.resolve("history.txt");
		Path marker = this.directory.resolve("held.txt");
		Path locks = this.directory.resolve("locks");
		List<Process> workers = new ArrayList<>();
		// Worker 0 runs its sections, then holds the lock in one more until it is killed;
		// the others pause halfway until it holds, so half their sections contend with
		// the dead holder.
		for (int worker = 0; worker < 3; worker++) {
			workers.add((worker == 0) ? start(locks, history, SECTIONS_PER_WORKER, -1, marker)
					: start(locks, history, -1, SECTIONS_PER_WORKER / 2, marker));
		}
		Process holder = workers.get(0);
		await().atMost(Duration.ofMinutes(3)).until(() -> Files.exists(marker) && Files.size(marker) > 0);
		String[] held = Files.readString(marker).trim().split(" ");
		long heldToken = Long.parseLong(held[0]);
		Thread.sleep(LEASE_MILLIS); // let the holder renew its lease at least once before
									// it dies
		holder.destroyForcibly(); // SIGKILL on Unix: no shutdown hook, no release
		holder.waitFor(30, TimeUnit.SECONDS);
		long expiresMicros = expiryOfKilledHolder(locks, heldToken);
		for (Process worker : workers.subList(1, workers.size())) {
			assertThat(worker.waitFor(3, TimeUnit.MINUTES)).as("worker finished").isTrue();
			assertThat(worker.exitValue()).isZero();
		}

		List<long[]> sections = new ArrayList<>();
		for (String line : Files.readAllLines(history)) {
			String[] fields = line.split(" ");
			sections.add(new long[] { Long.parseLong(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2]),
					Long.parseLong(fields[3]) });
		}
		assertThat(sections).hasSize(3 * SECTIONS_PER_WORKER);
		sections.sort(Comparator.comparingLong((long[] section) -> section[2]));
		for (int i = 1; i < sections.size(); i++) {
			long[] previous = sections.get(i - 1);
			long[] next = sections.get(i);
			assertThat(next[2]).as("section %d starts after section %d ends", i, i - 1)
				.isGreaterThanOrEqualTo(previous[3]);
			assertThat(next[0]).as("token of section %d", i).isGreaterThan(previous[0]);
		}
		long heldStart = Long.parseLong(held[2]);
		assertThat(sections).filteredOn((section) -> section[3] > heldStart)
			.hasSizeGreaterThanOrEqualTo(SECTIONS_PER_WORKER)
			.allSatisfy((section) -> {
				assertThat(section[2]).as("start after the killed holder's lease ran out")
					.isGreaterThanOrEqualTo(expiresMicros);
				assertThat(section[0]).isGreaterThan(heldToken);
			});
	}

	/**
	 * Reads the killed holder's lease as the engine recorded it, checking it is still the
	 * holder's.
	 */
	private static long expiryOfKilledHolder(Path locks, long heldToken) throws Exception {
		String lease;
		try {
			lease = FileLockWorker.readLeaseFile(locks.resolve("multi"), "shared");
		}
		catch (NoSuchFileException ex) {
			throw new AssertionError("the killed holder's lock directory was gone right after the kill", ex);
		}
		assertThat(lease).as("lease right after the kill").contains("token=" + heldToken + "\n");
		long expiresMillis = Long.parseLong(lease.lines()
			.filter((line) -> line.startsWith("expires="))
			.findFirst()
			.orElseThrow()
			.substring("expires=".length()));
		return expiresMillis * 1000;
	}

	private static Process start(Path locks, Path history, int holdAt, int pauseAt, Path marker) throws Exception {
		return WorkerJvm.start(FileLockWorker.class, locks, history, SECTIONS_PER_WORKER, LEASE_MILLIS, holdAt, marker,
				pauseAt);
	}

}
