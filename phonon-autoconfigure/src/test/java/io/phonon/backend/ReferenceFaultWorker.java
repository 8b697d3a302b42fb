package io.phonon.backend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.phonon.backend.memory.MemoryBackend;
import io.phonon.lock.LockService;
import io.phonon.reference.Reference;
import io.phonon.reference.ReferenceBackend;
import io.phonon.reference.References;

/**
 * One worker JVM of {@link ReferenceFaultTests}: random acquire, mark and release
 * operations over 20 resources, with last-release handlers that write to a ledger in the
 * engine itself ({@code start <id>} before, {@code complete <id> <resource> <times>}
 * after) and a ledger line for every successful mark. With the crash role, it ends
 * holding three resources of its own, each marked once, announces that, and waits to be
 * killed.
 */
public final class ReferenceFaultWorker {

	static final Duration HEARTBEAT = Duration.ofMillis(200);

	static final Duration SESSION = Duration.ofSeconds(2);

	private ReferenceFaultWorker() {
	}

	public static void main(String[] args) throws Exception {
		String engine = args[0];
		String namespace = args[1];
		int operations = Integer.parseInt(args[2]);
		boolean crash = Boolean.parseBoolean(args[3]);
		Path marker = Path.of(args[4]);
		Consumer<String> ledger = ledger(engine, namespace);
		References references = references(engine, namespace, ledger);
		List<Reference> held = new ArrayList<>();
		ThreadLocalRandom random = ThreadLocalRandom.current();
		for (int i = 0; i < operations; i++) {
			int choice = random.nextInt(3);
			if (held.isEmpty() || (choice == 0 && held.size() < 3)) {
				held.add(references.acquire("r:" + random.nextInt(20)));
			}
			else if (choice == 1) {
				Reference reference = held.get(random.nextInt(held.size()));
				reference.markModified();
				ledger.accept("mark " + reference.resource());
			}
			else {
				held.remove(random.nextInt(held.size())).release();
			}
		}
		for (Reference reference : held) {
			reference.release();
		}
		if (crash) {
			for (int i = 0; i < 3; i++) {
				Reference reference = references.acquire("crash:" + i);
				reference.markModified();
				ledger.accept("mark " + reference.resource());
			}
			Files.writeString(marker, "holding");
			Thread.sleep(Duration.ofHours(1).toMillis());
		}
		((AutoCloseable) references).close();
		System.exit(0);
	}

	/** References with the ledger-writing handlers; the test's own JVM uses the same. */
	public static References references(String engine, String namespace, Consumer<String> ledger) {
		return references(engine, namespace, ledger, null);
	}

	/** The same, measured in {@code registry}. */
	public static References references(String engine, String namespace, Consumer<String> ledger,
			MeterRegistry registry) {
		References references = References
			.builder(backend(engine, namespace), LockService.builder(MemoryBackend.locks()).build())
			.heartbeatInterval(HEARTBEAT)
			.sessionTimeout(SESSION)
			.meterRegistry(registry)
			.build();
		long pid = ProcessHandle.current().pid();
		references.onLastRelease("*", (release) -> {
			ledger.accept("start " + release.id() + " " + pid);
			ledger.accept(
					"complete " + release.id() + " " + release.resource() + " " + release.timesModified() + " " + pid);
		});
		return references;
	}

	public static ReferenceBackend backend(String engine, String namespace) {
		return new TestEngine(engine).references(namespace);
	}

	public static Consumer<String> ledger(String engine, String namespace) {
		return new TestEngine(engine).ledger(namespace);
	}

}
