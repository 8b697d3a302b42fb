package io.phonon.atom;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** An atom of one process, with Clojure's semantics. */
class AtomTests {

	@Test
	void swapAppliesTheFunctionAndReturnsTheNewValue() {
		Atom<Integer> atom = Atom.of(1);
		assertThat(atom.swap((v) -> v + 1)).isEqualTo(2);
		assertThat(atom.swapVals((v) -> v * 10)).isEqualTo(new Atom.Change<>(2, 20));
		assertThat(atom.reset(5)).isEqualTo(5);
		assertThat(atom.resetVals(6)).isEqualTo(new Atom.Change<>(5, 6));
		assertThat(atom.get()).isEqualTo(6);
	}

	@Test
	void compareAndSetComparesByIdentityAsClojureDoes() {
		String current = new String("state");
		Atom<String> atom = Atom.of(current);
		assertThat(atom.compareAndSet(new String("state"), "other")).as("equal but not the same").isFalse();
		assertThat(atom.compareAndSet(current, "next")).isTrue();
		assertThat(atom.get()).isEqualTo("next");
	}

	@Test
	void theValidatorRunsBeforeEveryCommitAndARefusalChangesNothing() {
		Atom<Integer> atom = Atom.of(1);
		atom.setValidator((v) -> v != null && v >= 0);
		assertThatIllegalStateException().isThrownBy(() -> atom.swap((v) -> -1))
			.withMessageContaining("Invalid reference state");
		assertThatIllegalStateException().isThrownBy(() -> atom.reset(-2));
		assertThatIllegalStateException().isThrownBy(() -> atom.compareAndSet(1, -3));
		assertThat(atom.get()).isEqualTo(1);
		assertThatIllegalStateException().as("the current value must pass a new validator")
			.isThrownBy(() -> atom.setValidator((v) -> v != null && v > 5));
		atom.setValidator(null);
		assertThat(atom.reset(-1)).isEqualTo(-1);
	}

	@Test
	void watchesSeeEveryChangeWithOldAndNewEvenWhenEqual() {
		Atom<Integer> atom = Atom.of(0);
		List<String> seen = new ArrayList<>();
		atom.addWatch("log", (key, changed, oldValue, newValue) -> seen.add(key + ":" + oldValue + "->" + newValue));
		atom.swap((v) -> v + 1);
		atom.reset(1);
		atom.compareAndSet(1, 2);
		atom.removeWatch("log");
		atom.reset(3);
		assertThat(seen).containsExactly("log:0->1", "log:1->1", "log:1->2");
	}

	@Test
	void concurrentSwapsLoseNothingAndTheFunctionMayRunMoreThanOnce() throws Exception {
		Atom<Integer> atom = Atom.of(0);
		AtomicInteger calls = new AtomicInteger();
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> work = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				work.add(threads.submit(() -> {
					for (int i = 0; i < 10_000; i++) {
						atom.swap((v) -> {
							calls.incrementAndGet();
							return v + 1;
						});
					}
				}));
			}
			for (Future<?> future : work) {
				future.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(atom.get()).isEqualTo(40_000);
		assertThat(calls.get()).isGreaterThanOrEqualTo(40_000);
	}

}
