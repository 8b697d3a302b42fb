package io.phonon.backend.jdbc;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lincheck on {@link GroupedReleases} over a table in memory: a release run by another
 * thread's statement still takes effect within its own call, each exactly once, and no
 * release waits forever for a statement nobody runs.
 */
@Tag("concurrency")
@Param(name = "key", gen = IntGen.class, conf = "0:2")
public class GroupedReleasesLincheckTests {

	/** The locks held, as {@code key/owner}. */
	private final Set<String> held = ConcurrentHashMap.newKeySet();

	private final GroupedReleases releases = new GroupedReleases(this::releaseAll);

	@Operation
	public boolean acquire(@Param(name = "key") int key) {
		return this.held.add(key + "/owner");
	}

	@Operation
	public boolean release(@Param(name = "key") int key) {
		return this.releases.release("id-" + key, String.valueOf(key), "owner");
	}

	private boolean[] releaseAll(List<GroupedReleases.Release> batch) {
		boolean[] released = new boolean[batch.size()];
		for (int i = 0; i < released.length; i++) {
			released[i] = this.held.remove(batch.get(i).key() + "/" + batch.get(i).owner());
		}
		return released;
	}

	@Test
	void linearizableUnderModelChecking() {
		new ModelCheckingOptions().iterations(6).invocationsPerIteration(200).check(getClass());
	}

	@Test
	void linearizableUnderStress() {
		new StressOptions().iterations(10).invocationsPerIteration(1000).check(getClass());
	}

}
