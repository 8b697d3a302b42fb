package io.phonon.backend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.phonon.reference.Reference;
import io.phonon.reference.References;
import io.phonon.testsupport.WorkerJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker JVM ({@link ReferencePauseWorker}) holding references is paused with
 * {@code SIGSTOP} (or cut off the network, {@link ReferencePartitionTests}) for longer
 * than its session, while this JVM, a live process, reaps it and runs the last releases
 * that this empties; then it is continued. The worker must heal: its dropped references
 * say they were lost (none claims a count it does not have), the event is counted, a new
 * reference joins again and is counted, and this JVM's release is not the last one out
 * while the worker holds it.
 */
@Tag("concurrency")
public abstract class ReferencePauseTests {

	@TempDir
	Path directory;

	/**
	 * Returns how the worker reaches the engine: {@code redis:host:port} or a JDBC URL.
	 */
	protected abstract String engine();

	@Test
	void aProcessPausedPastItsSessionHealsAndNoLiveHolderIsLeftUncounted() throws Exception {
		cutOffPastItsSession(engine(), this.directory, new Isolation() {

			@Override
			public Process start(Object... arguments) throws Exception {
				return WorkerJvm.start(ReferencePauseWorker.class, arguments);
			}

			@Override
			public void isolate(Process worker) throws Exception {
				signal("STOP", worker);
			}

			@Override
			public void rejoin(Process worker) throws Exception {
				signal("CONT", worker);
			}

		});
	}

	/**
	 * Runs the scenario with the worker cut off from the engine by {@code isolation}: a
	 * pause here, a network partition in {@link ReferencePartitionTests}.
	 */
	static void cutOffPastItsSession(String address, Path directory, Isolation isolation) throws Exception {
		String namespace = "refpause" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		TestEngine engine = new TestEngine(address);
		engine.ledger(namespace); // created here, before the worker
		Process worker = isolation.start(address, namespace, directory);
		try {
			await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(directory.resolve("holding")));
			References live = ReferenceFaultWorker.references(address, namespace, engine.ledger(namespace));
			try {
				Reference shared = live.acquire("paused:shared");
				assertThat(shared.count()).isEqualTo(2);
				isolation.isolate(worker);
				// Cut off past its session: this process reaps it and runs the last
				// release of what it held alone.
				await().atMost(Duration.ofMinutes(1))
					.until(() -> completions(engine, namespace, "paused:own").size() == 1);
				assertThat(live.count("paused:shared")).as("the paused worker is not counted").isEqualTo(1);
				assertThat(shared.release()).as("emptied: the worker was reaped").isTrue();
				isolation.rejoin(worker);
				Files.writeString(directory.resolve("go"), "go");
				await().atMost(Duration.ofMinutes(1)).until(() -> Files.exists(directory.resolve("seen")));
				assertThat(Files.readAllLines(directory.resolve("seen"))).containsExactly("lost paused:own",
						"lost paused:own", "lost paused:shared", "session.lost 1", "rejoined 1");

				Reference mine = live.acquire("paused:own");
				assertThat(mine.count()).as("the healed worker's new reference is counted").isEqualTo(2);
				assertThat(mine.release()).as("not the last one out while the healed worker holds it").isFalse();
				Files.writeString(directory.resolve("release"), "release");
				await().atMost(Duration.ofMinutes(1)).until(() -> Files.exists(directory.resolve("released")));
				assertThat(Files.readString(directory.resolve("released"))).isEqualTo("last true");
				assertThat(worker.waitFor(1, TimeUnit.MINUTES)).as("worker finished").isTrue();
				assertThat(worker.exitValue()).isZero();
			}
			finally {
				((AutoCloseable) live).close();
			}
			List<String> own = completions(engine, namespace, "paused:own");
			assertThat(own).as("one last release while the worker was reaped, one when it released after healing")
				.hasSize(2);
			assertThat(own.get(1)).endsWith(" " + worker.pid());
			assertThat(completions(engine, namespace, "paused:shared")).hasSize(1);
		}
		finally {
			worker.destroyForcibly();
		}
	}

	private static List<String> completions(TestEngine engine, String namespace, String resource) throws Exception {
		return engine.readLedger(namespace)
			.stream()
			.filter((entry) -> entry.startsWith("complete ") && entry.split(" ")[2].equals(resource))
			.toList();
	}

	private static void signal(String signal, Process worker) throws Exception {
		Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(worker.pid())).inheritIO().start();
		assertThat(kill.waitFor(30, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s", signal).isTrue();
	}

	/** How the scenario starts the worker, cuts it off and lets it back. */
	interface Isolation {

		Process start(Object... arguments) throws Exception;

		void isolate(Process worker) throws Exception;

		void rejoin(Process worker) throws Exception;

	}

}
