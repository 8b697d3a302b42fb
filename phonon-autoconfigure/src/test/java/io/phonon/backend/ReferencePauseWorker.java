package io.phonon.backend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phonon.reference.Reference;
import io.phonon.reference.References;

/**
 * The worker JVM of {@link ReferencePauseTests}: it holds references, announces it, and
 * is then paused by the test with {@code SIGSTOP} past its session. Once continued and
 * told to go on, it writes what it sees of its references (lost, or counted how often),
 * its {@code phonon.reference.session.lost} count, and the count of a new reference; on
 * the test's word it releases that one and says whether it was the last one out.
 */
public final class ReferencePauseWorker {

	private ReferencePauseWorker() {
	}

	public static void main(String[] args) throws Exception {
		String engine = args[0];
		String namespace = args[1];
		Path directory = Path.of(args[2]);
		Consumer<String> ledger = ReferenceFaultWorker.ledger(engine, namespace);
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		References references = ReferenceFaultWorker.references(engine, namespace, ledger, registry);
		List<Reference> held = List.of(references.acquire("paused:own"), references.acquire("paused:own"),
				references.acquire("paused:shared"));
		Files.writeString(directory.resolve("holding"), String.valueOf(ProcessHandle.current().pid()));
		awaitFile(directory.resolve("go"));
		List<String> seen = new ArrayList<>();
		for (Reference reference : held) {
			try {
				seen.add("counted " + reference.resource() + " " + reference.count());
			}
			catch (IllegalStateException ex) {
				seen.add("lost " + reference.resource());
			}
		}
		seen.add("session.lost " + (long) registry.get("phonon.reference.session.lost").counter().count());
		Reference again = references.acquire("paused:own");
		seen.add("rejoined " + again.count());
		Files.write(directory.resolve("seen"), seen);
		awaitFile(directory.resolve("release"));
		boolean last = again.release();
		for (Reference reference : held) {
			reference.close();
		}
		Files.writeString(directory.resolve("released"), "last " + last);
		((AutoCloseable) references).close();
		System.exit(0);
	}

	private static void awaitFile(Path file) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
		while (!Files.exists(file) && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
	}

}
