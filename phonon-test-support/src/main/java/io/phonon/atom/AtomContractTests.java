package io.phonon.atom;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phonon.JacksonJsonCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The contract of shared atoms, on one engine per subclass. Two {@link Atoms} over one
 * engine stand for two processes.
 */
public abstract class AtomContractTests {

	private AtomBackend engine;

	private final List<DefaultAtoms> processes = new ArrayList<>();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	/** Returns a fresh engine (its own namespace). */
	protected abstract AtomBackend createEngine(String namespace);

	@BeforeEach
	void createEngine() {
		this.engine = createEngine("atoms-" + UUID.randomUUID());
	}

	@AfterEach
	void close() {
		this.processes.forEach(DefaultAtoms::close);
		this.engine.close();
	}

	private Atoms process() {
		DefaultAtoms atoms = (DefaultAtoms) Atoms
			.builder(this.engine, new JacksonJsonCodec(JsonMapper.builder().build()))
			.pollInterval(Duration.ofMillis(20))
			.meterRegistry(this.meters)
			.build();
		this.processes.add(atoms);
		return atoms;
	}

	@Test
	void aSharedAtomIsOneValueForEveryProcess() {
		SharedAtom<String> here = process().shared("greeting", String.class, "hello");
		SharedAtom<String> there = process().shared("greeting", String.class, "ignored: it exists");
		assertThat(there.get()).isEqualTo("hello");
		assertThat(here.swap((v) -> v + ", world")).isEqualTo("hello, world");
		assertThat(there.get()).isEqualTo("hello, world");
		assertThat(there.swapVals((v) -> v.toUpperCase())).isEqualTo(new Atom.Change<>("hello, world", "HELLO, WORLD"));
		assertThat(here.resetVals("bye")).isEqualTo(new Atom.Change<>("HELLO, WORLD", "bye"));
		assertThat(there.compareAndSet("bye", "again")).as("compared by equals: they travel as JSON").isTrue();
		assertThat(here.compareAndSet("bye", "lost")).isFalse();
		assertThat(here.get()).isEqualTo("again");
	}

	@Test
	void countersCountAcrossProcesses() throws Exception {
		List<Counter> counters = List.of(process().counter("visits"), process().counter("visits"));
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> work = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				Counter counter = counters.get(t % 2);
				work.add(threads.submit(() -> {
					for (int i = 0; i < 100; i++) {
						counter.incrementAndGet();
					}
				}));
			}
			for (Future<?> future : work) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(counters.get(1).get()).isEqualTo(400L);
		assertThat(counters.get(0).addAndGet(-10)).isEqualTo(390L);
		assertThat(counters.get(0).decrementAndGet()).isEqualTo(389L);
		assertThat(this.meters.get("phonon.atom.swap").tag("name", "visits").timer().count()).isEqualTo(402L);
	}

	@Test
	void watchesInEveryProcessSeeEveryChangeInOrder() {
		SharedAtom<Integer> here = process().shared("level", Integer.class, 0);
		SharedAtom<Integer> there = process().shared("level", Integer.class, 0);
		List<String> seenHere = new CopyOnWriteArrayList<>();
		List<String> seenThere = new CopyOnWriteArrayList<>();
		here.addWatch("here", (key, atom, oldValue, newValue) -> seenHere.add(oldValue + "->" + newValue));
		there.addWatch("there", (key, atom, oldValue, newValue) -> seenThere.add(oldValue + "->" + newValue));
		for (int i = 0; i < 10; i++) {
			((i % 2 == 0) ? here : there).swap((v) -> v + 1);
		}
		here.reset(10);
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			expected.add(i + "->" + (i + 1));
		}
		expected.add("10->10");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(seenHere).containsExactlyElementsOf(expected);
			assertThat(seenThere).containsExactlyElementsOf(expected);
		});
	}

	@Test
	void theValidatorRefusesWithoutChangingAnything() {
		SharedAtom<Integer> atom = process().shared("stock", Integer.class, 5);
		atom.setValidator((v) -> v != null && v >= 0);
		assertThatIllegalStateException().isThrownBy(() -> atom.swap((v) -> v - 6));
		assertThat(atom.get()).isEqualTo(5);
	}

	@Test
	void genericValuesComeBackTyped() {
		ParameterizedTypeReference<List<String>> names = new ParameterizedTypeReference<>() {
		};
		process().shared("names", names, List.of("a")).swap((v) -> {
			List<String> next = new ArrayList<>(v);
			next.add("b");
			return next;
		});
		assertThat(process().shared("names", names, List.of()).get()).containsExactly("a", "b");
	}

	@Test
	void aNameHoldsOneKindOfAtom() {
		Atoms atoms = process();
		atoms.shared("thing", String.class, "x");
		assertThatIllegalArgumentException().isThrownBy(() -> atoms.shared("thing", Integer.class, 1))
			.withMessageContaining("'thing'");
		assertThatIllegalArgumentException().isThrownBy(() -> atoms.counter("thing"));
	}

}
