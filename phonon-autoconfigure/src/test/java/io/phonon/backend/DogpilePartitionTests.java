package io.phonon.backend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.phonon.dogpile.DogpileCache;
import io.phonon.dogpile.StoredValue;
import io.phonon.testsupport.TestNetwork;
import io.phonon.testsupport.TestNetwork.TestHost;
import io.phonon.testsupport.WorkerJvm;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A regenerator ({@link DogpilePartitionWorker}) is cut off the network in the middle of
 * regenerating a stale value, past its lock's lease. This JVM then takes the lock over
 * and stores a value of its own. When the regenerator's host is healed and its
 * regeneration ends, its caller gets what it computed, but the store keeps the value of
 * the one who held the lock: a regenerator whose lease ran out does not overwrite it.
 */
class DogpilePartitionTests {

	@TempDir
	Path directory;

	@ParameterizedTest
	@EnumSource(PartitionedEngine.class)
	void aRegeneratorCutOffPastItsLeaseDoesNotOverwriteTheValueOfTheOneWhoTookOver(PartitionedEngine kind)
			throws Exception {
		String namespace = "dogpilecut" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		List<AutoCloseable> started = new ArrayList<>();
		try (TestNetwork network = TestNetwork.create()) {
			Process worker = null;
			try {
				TestEngine engine = new TestEngine(kind.start(network.host("engine"), started));
				TestHost regenerator = network.host("regenerator");
				worker = WorkerJvm.startIn(regenerator.namespace(), DogpilePartitionWorker.class, engine.address(),
						namespace, this.directory);
				Process running = worker;
				await().atMost(Duration.ofMinutes(2))
					.failFast("the worker ended (its log is in the temporary directory)", () -> !running.isAlive())
					.until(() -> Files.exists(this.directory.resolve("regenerating")));
				network.cut(regenerator);

				DogpileCache<String> cache = DogpilePartitionWorker.cache(engine, namespace);
				AtomicBoolean tookOver = new AtomicBoolean();
				// Stale meanwhile: this JVM gets the lock once the cut-off lease runs
				// out.
				await().atMost(Duration.ofMinutes(1)).until(() -> {
					cache.get("k", () -> {
						tookOver.set(true);
						return "took-over";
					});
					return tookOver.get();
				});

				network.heal(regenerator);
				Files.writeString(this.directory.resolve("healed"), "");
				assertThat(worker.waitFor(2, TimeUnit.MINUTES)).as("worker finished").isTrue();
				assertThat(worker.exitValue()).as("worker exit").isZero();
				assertThat(Files.readString(this.directory.resolve("returned")))
					.as("the cut-off regenerator's caller gets what it computed")
					.isEqualTo("cut-off");
				StoredValue<?> stored = engine.dogpiles(namespace).get("report", "k");
				assertThat(stored).isNotNull();
				assertThat(String.valueOf(stored.payload())).as("the stored value").isEqualTo("\"took-over\"");
			}
			finally {
				if (worker != null) {
					worker.destroyForcibly();
				}
				PartitionedEngine.stop(started);
			}
		}
	}

}
