package io.phonon.atom;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lincheck on an atom of one process: {@code swap}, {@code swapVals},
 * {@code compareAndSet}, {@code reset} and {@code get} are linearizable, by model
 * checking and by stress. Values are small interned integers, so Clojure's identity
 * comparison is value comparison here.
 */
@Tag("concurrency")
@Param(name = "value", gen = IntGen.class, conf = "0:3")
public class AtomLincheckTests {

	private final Atom<Integer> atom = Atom.of(0);

	@Operation
	public int increment() {
		return this.atom.swap((v) -> v + 1);
	}

	@Operation
	public int doubleAndGetOld() {
		return this.atom.swapVals((v) -> v * 2).oldValue();
	}

	@Operation
	public boolean compareAndSet(@Param(name = "value") int expected, @Param(name = "value") int newValue) {
		return this.atom.compareAndSet(expected, newValue);
	}

	@Operation
	public int reset(@Param(name = "value") int value) {
		return this.atom.reset(value);
	}

	@Operation
	public int get() {
		return this.atom.get();
	}

	@Test
	void linearizableUnderModelChecking() {
		new ModelCheckingOptions().iterations(20).invocationsPerIteration(1000).check(getClass());
	}

	@Test
	void linearizableUnderStress() {
		new StressOptions().iterations(20).invocationsPerIteration(2000).check(getClass());
	}

}
