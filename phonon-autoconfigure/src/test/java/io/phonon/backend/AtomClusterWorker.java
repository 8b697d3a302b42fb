package io.phonon.backend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.phonon.JacksonJsonCodec;
import io.phonon.atom.Atoms;
import io.phonon.atom.Counter;
import io.phonon.atom.SharedAtom;
import tools.jackson.databind.json.JsonMapper;

/**
 * One worker JVM of {@link AtomClusterTests}: once every worker watches, {@code count}
 * increments of the shared atom {@code total} by {@code swap} and of the counter
 * {@code hits}, while watches on both record every change they see ({@code old>new}).
 * Once its watches saw all {@code workers * count} changes of each, it writes what they
 * saw and exits.
 */
public final class AtomClusterWorker {

	private AtomClusterWorker() {
	}

	public static void main(String[] args) throws Exception {
		TestEngine engine = new TestEngine(args[0]);
		String namespace = args[1];
		Path go = Path.of(args[2]);
		int count = Integer.parseInt(args[3]);
		int workers = Integer.parseInt(args[4]);
		Path output = Path.of(args[5]);
		Atoms atoms = Atoms.builder(engine.atoms(namespace), new JacksonJsonCodec(JsonMapper.builder().build()))
			.pollInterval(Duration.ofMillis(50))
			.build();
		SharedAtom<Integer> total = atoms.shared("total", Integer.class, 0);
		Counter hits = atoms.counter("hits");
		List<String> totalSeen = new CopyOnWriteArrayList<>();
		List<String> hitsSeen = new CopyOnWriteArrayList<>();
		total.addWatch("seen", (key, atom, oldValue, newValue) -> totalSeen.add(oldValue + ">" + newValue));
		hits.addWatch("seen", (key, atom, oldValue, newValue) -> hitsSeen.add(oldValue + ">" + newValue));
		// Ready with its watches: the test says go once every worker is.
		Files.writeString(output.resolveSibling(output.getFileName() + ".ready"), "");
		while (!Files.exists(go)) {
			Thread.sleep(10);
		}
		for (int i = 0; i < count; i++) {
			total.swap((value) -> value + 1);
			hits.incrementAndGet();
		}
		long deadline = System.currentTimeMillis() + 120_000;
		while ((totalSeen.size() < workers * count || hitsSeen.size() < workers * count)
				&& System.currentTimeMillis() < deadline) {
			Thread.sleep(50);
		}
		Files.write(output.resolveSibling(output.getFileName() + ".total"), totalSeen);
		Files.write(output.resolveSibling(output.getFileName() + ".hits"), hitsSeen);
		Files.writeString(output, total.get() + " " + hits.get());
		System.exit(0);
	}

}
