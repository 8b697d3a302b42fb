package io.phonon.backend.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.phonon.lock.LockBackend;
import io.phonon.testsupport.FencedHistory;
import io.phonon.testsupport.FencedHistory.Section;
import io.phonon.testsupport.TestRedis;
import io.phonon.testsupport.WorkerJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cohort hand-off on Redis: a released lock goes straight to a waiting thread of the same
 * process, at most a few times in a row; then it is released, reserved for the other
 * processes' waiters, so that threads of one process taking the lock in turn never starve
 * another process.
 */
class RedisHandOffTests {

	private static final int LOCAL_HAND_OFFS = 4;

	@TempDir
	Path directory;

	@Test
	void aReleaseWhileAnotherProcessWaitsReservesTheLockForIt() throws Exception {
		LettuceConnectionFactory redis = TestRedis.connectionFactory();
		String namespace = "yield-" + UUID.randomUUID();
		try (LockBackend here = RedisBackend.locks(redis, namespace);
				LockBackend there = RedisBackend.locks(redis, namespace)) {
			here.tryAcquire("turns", "here-1", Duration.ofMinutes(1)).orElseThrow();
			assertThat(here.release("turns", "here-1")).isTrue();
			assertThat(here.tryAcquire("turns", "here-2", Duration.ofMinutes(1)))
				.as("nobody else waits: taken again at once")
				.isPresent();
			there.awaitRelease("turns", Duration.ofMillis(10));
			assertThat(here.release("turns", "here-2")).isTrue();
			assertThat(here.tryAcquire("turns", "here-3", Duration.ofMinutes(1))).as("reserved for the waiter there")
				.isEmpty();
			assertThat(there.tryAcquire("turns", "there-1", Duration.ofMinutes(1))).isPresent();
			assertThat(there.release("turns", "there-1")).isTrue();
			assertThat(here.tryAcquire("turns", "here-4", Duration.ofMinutes(1)))
				.as("the waiter there took its turn and nobody waits now")
				.isPresent();
		}
	}

	@Test
	void threadsOfTwoProcessesTakeTurnsInBoundedRunsWithFencingTokensInOrder() throws Exception {
		LettuceConnectionFactory redis = TestRedis.connectionFactory();
		String namespace = "cohort-" + UUID.randomUUID();
		List<Process> workers = new ArrayList<>();
		try {
			for (int i = 0; i < 2; i++) {
				workers.add(WorkerJvm.start(HandOffLockWorker.class, redis.getHostName(), redis.getPort(), namespace,
						this.directory, 4, LOCAL_HAND_OFFS));
			}
			Path history = this.directory.resolve("history");
			// Until each process has been through enough sections, however slow the
			// machine.
			await().atMost(Duration.ofMinutes(3))
				.ignoreExceptions()
				.failFast("a worker ended", () -> workers.stream().anyMatch((worker) -> !worker.isAlive()))
				.until(() -> FencedHistory.read(history)
					.stream()
					.collect(java.util.stream.Collectors.groupingBy(Section::pid,
							java.util.stream.Collectors.counting()))
					.values()
					.stream()
					.filter((count) -> count >= 200)
					.count() == 2);
			Files.writeString(this.directory.resolve("stop"), "");
			for (Process worker : workers) {
				assertThat(worker.waitFor(2, TimeUnit.MINUTES)).as("worker finished").isTrue();
				assertThat(worker.exitValue()).as("worker exit").isZero();
			}
			List<Section> sections = FencedHistory.read(history);
			assertThat(FencedHistory.overlaps(sections)).as("overlapping valid sections").isEmpty();
			assertThat(FencedHistory.regressions(sections)).as("token regressions").isEmpty();
			assertThat(sections).allMatch(Section::valid).allMatch(Section::accepted);
			List<Section> inOrder = sections.stream().sorted(Comparator.comparingLong(Section::token)).toList();
			// While both processes take part: from the later one's first section to the
			// earlier one's last (once told to stop, one may end before the other).
			long firstPid = inOrder.get(0).pid();
			int from = 0;
			while (inOrder.get(from).pid() == firstPid) {
				from++;
			}
			long lastPid = inOrder.get(inOrder.size() - 1).pid();
			int to = inOrder.size() - 1;
			while (inOrder.get(to).pid() == lastPid) {
				to--;
			}
			int longestRun = 0;
			int runs = 0;
			int run = 0;
			for (int i = from; i <= to; i++) {
				run = (i > from && inOrder.get(i).pid() == inOrder.get(i - 1).pid()) ? run + 1 : 1;
				runs += (run == 1) ? 1 : 0;
				longestRun = Math.max(longestRun, run);
			}
			long firsts = inOrder.subList(from, to + 1).stream().filter((section) -> section.pid() == firstPid).count();
			long seconds = (to + 1 - from) - firsts;
			System.out.printf(
					"Hand-off: %d sections while both took part, %d by one process and %d by the other, in %d"
							+ " runs, the longest %d (at most %d allowed)%n",
					to + 1 - from, firsts, seconds, runs, longestRun, LOCAL_HAND_OFFS + 1);
			assertThat(longestRun).as("sections in a row of one process while the other's threads waited")
				.isLessThanOrEqualTo(LOCAL_HAND_OFFS + 1);
			assertThat(runs).as("turns taken").isGreaterThan(2);
		}
		finally {
			Files.writeString(this.directory.resolve("stop"), "");
			workers.forEach(Process::destroyForcibly);
		}
	}

}
