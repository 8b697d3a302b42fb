package io.phonon.backend;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.phonon.backend.ReferencePauseTests.Isolation;
import io.phonon.testsupport.TestNetwork;
import io.phonon.testsupport.TestNetwork.TestHost;
import io.phonon.testsupport.WorkerJvm;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link ReferencePauseTests}'s scenario with a real network partition instead of a
 * pause: the engine and the worker JVM on test hosts of their own, the worker's host cut
 * off past its session while this JVM reaps it, then healed. The same must hold: exactly
 * one last release per emptying, the worker learns its references were lost, and rejoins.
 */
class ReferencePartitionTests {

	@TempDir
	Path directory;

	@ParameterizedTest
	@EnumSource(PartitionedEngine.class)
	void aProcessCutOffPastItsSessionHealsAndNoLiveHolderIsLeftUncounted(PartitionedEngine kind) throws Exception {
		List<AutoCloseable> started = new ArrayList<>();
		try (TestNetwork network = TestNetwork.create()) {
			try {
				String engine = kind.start(network.host("engine"), started);
				TestHost worker = network.host("worker");
				ReferencePauseTests.cutOffPastItsSession(engine, this.directory, new Isolation() {

					@Override
					public Process start(Object... arguments) throws Exception {
						return WorkerJvm.startIn(worker.namespace(), ReferencePauseWorker.class, arguments);
					}

					@Override
					public void isolate(Process process) throws Exception {
						network.cut(worker);
					}

					@Override
					public void rejoin(Process process) throws Exception {
						network.heal(worker);
					}

				});
			}
			finally {
				PartitionedEngine.stop(started);
			}
		}
	}

}
