package io.phonon.reference;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phonon.PhononBackendException;
import io.phonon.Stoppable;
import io.phonon.backend.memory.MemoryBackend;
import io.phonon.lock.Lease;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The contract of references, on one engine per subclass, several {@code References}
 * instances standing for several processes. A crashed process is one that started a
 * session and took references through the engine, then never spoke again.
 */
public abstract class ReferenceContractTests {

	private static final Duration SESSION = Duration.ofMillis(400);

	private ReferenceBackend engine;

	/** The same engine, through which a test can make one process's heartbeats stall. */
	private StallingReferenceBackend stalling;

	/** Returns a fresh engine (its own namespace) for one test. */
	protected abstract ReferenceBackend createEngine();

	@BeforeEach
	void createEngineForTest() {
		this.stalling = new StallingReferenceBackend(createEngine());
		this.engine = this.stalling;
	}

	private final LockService locks = LockService.builder(MemoryBackend.locks()).build();

	private final List<DefaultReferences> processes = new ArrayList<>();

	/** Every handler run: the release and the process that ran it. */
	private final ConcurrentLinkedQueue<String> ledger = new ConcurrentLinkedQueue<>();

	/**
	 * The session timeout of the processes made next: short, so that crashes are noticed
	 * fast.
	 */
	private Duration session = SESSION;

	/**
	 * How long each handler run takes: long enough for other processes' heartbeats to
	 * look.
	 */
	private volatile long handlerMillis;

	@AfterEach
	void stop() throws Exception {
		this.stalling.resume();
		for (DefaultReferences process : this.processes) {
			process.close();
		}
		((AutoCloseable) this.locks).close();
		this.engine.close();
	}

	private DefaultReferences process() {
		return process(null);
	}

	private DefaultReferences process(SimpleMeterRegistry registry) {
		return process(registry, this.locks);
	}

	private DefaultReferences process(SimpleMeterRegistry registry, LockService locks) {
		DefaultReferences process = (DefaultReferences) References.builder(this.engine, locks)
			.heartbeatInterval(Duration.ofMillis(50))
			.sessionTimeout(this.session)
			.meterRegistry(registry)
			.build();
		process.onLastRelease("record:*", (release) -> {
			Thread.sleep(this.handlerMillis);
			this.ledger.add(release.id() + " " + release.resource() + " " + release.timesModified() + " by "
					+ process.processId());
		});
		process.onLastRelease("locked:*", (release) -> locks.withLock(release.resource(), LockOptions.defaults(),
				() -> this.ledger.add(release.id() + " " + release.resource() + " by " + process.processId())));
		this.processes.add(process);
		return process;
	}

	/**
	 * A process that took references and then crashed: its session is never extended
	 * again.
	 */
	private void crashedHolder(String process, String... resources) {
		this.engine.heartbeat(process, SESSION);
		for (String resource : resources) {
			this.engine.join(resource, process);
		}
	}

	@Test
	void countsLiveProcessesAndTheLastOneOutRunsTheHandlerOnce() {
		DefaultReferences first = process();
		DefaultReferences second = process();
		Reference one = first.acquire("record:1");
		Reference two = second.acquire("record:1");
		assertThat(one.count()).isEqualTo(2);
		two.markModified();
		one.markModified();
		assertThat(one.timesModified()).isEqualTo(2);
		assertThat(one.release()).isFalse();
		assertThat(first.count("record:1")).isEqualTo(1);
		assertThat(this.ledger).isEmpty();
		assertThat(two.release()).isTrue();
		assertThat(this.ledger).singleElement().asString().contains("record:1 2 by " + second.processId());
		assertThat(first.count("record:1")).isZero();
		assertThat(this.engine.timesModified("record:1")).as("reset once emptied").isZero();
	}

	@Test
	void severalHoldersInOneProcessCountAsThatProcessUntilTheLastReleases() {
		DefaultReferences process = process();
		Reference email = process.acquire("record:2");
		Reference address = process.acquire("record:2");
		assertThat(email.count()).isEqualTo(1);
		assertThat(email.release()).isFalse();
		assertThat(address.release()).isTrue();
		assertThat(this.ledger).hasSize(1);
	}

	@Test
	void releaseWithOnLastRunsItInsteadOfTheHandlers() {
		DefaultReferences process = process();
		AtomicInteger ran = new AtomicInteger();
		assertThat(process.acquire("record:3").release(ran::incrementAndGet)).isTrue();
		assertThat(ran).hasValue(1);
		assertThat(this.ledger).isEmpty();
		assertThat(process.acquire("other:3").release(ran::incrementAndGet)).as("no handler needed").isTrue();
		assertThat(ran).hasValue(2);
	}

	@Test
	void crashedHolderIsNotCountedOnceItsSessionTimedOutAndTheLastLiveReleaserRunsTheHandler() {
		DefaultReferences live = process();
		Reference reference = live.acquire("record:4");
		crashedHolder("crashed", "record:4");
		assertThat(reference.count()).isEqualTo(2);
		await().atMost(Duration.ofSeconds(10)).until(() -> reference.count() == 1);
		assertThat(reference.release()).isTrue();
		assertThat(this.ledger).singleElement().asString().contains("by " + live.processId());
	}

	@Test
	void resourceHeldOnlyByCrashedProcessesIsReapedAndItsHandlerRunByOneLiveProcess() throws Exception {
		this.handlerMillis = 150;
		for (int i = 0; i < 4; i++) {
			process();
		}
		crashedHolder("crashed-1", "record:5", "record:6");
		crashedHolder("crashed-2", "record:5");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.ledger.size() == 2);
		Thread.sleep(SESSION.toMillis()); // further heartbeats of every process must not
											// run them again
		assertThat(this.ledger).hasSize(2)
			.anyMatch((run) -> run.contains(" record:5 "))
			.anyMatch((run) -> run.contains(" record:6 "));
		assertThat(this.engine.reapExpiredSessions()).isEmpty();
	}

	@Test
	void handlerWhoseRunnerDiedBeforeFinishingRunsAgainInALiveProcess() {
		crashedHolder("runner", "record:7");
		Optional<LastRelease> claimed = this.engine.leave("record:7", "runner");
		assertThat(claimed).isPresent();
		assertThat(this.engine.claim(claimed.get().id(), "someone-else")).as("taken while the runner lives").isFalse();
		DefaultReferences live = process();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.ledger.size() == 1);
		assertThat(this.ledger).singleElement()
			.asString()
			.startsWith(claimed.get().id())
			.contains("by " + live.processId());
	}

	@Test
	void everyEmptyingRunsItsHandlerExactlyOnceUnderConcurrentHolders() throws Exception {
		// Every holder here lives: on a loaded machine, a heartbeat stuck behind eight
		// busy workers must not make a process look crashed, which would add last
		// releases made by reaping.
		this.session = Duration.ofSeconds(30);
		List<DefaultReferences> live = List.of(process(), process(), process(), process());
		AtomicInteger emptied = new AtomicInteger();
		AtomicInteger marked = new AtomicInteger();
		ExecutorService threads = Executors.newFixedThreadPool(8);
		List<Future<?>> work = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			DefaultReferences process = live.get(t % live.size());
			work.add(threads.submit(() -> {
				for (int i = 0; i < 300; i++) {
					Reference reference = process.acquire("record:" + ThreadLocalRandom.current().nextInt(10));
					if (ThreadLocalRandom.current().nextBoolean()) {
						reference.markModified();
						marked.incrementAndGet();
					}
					if (reference.release()) {
						emptied.incrementAndGet();
					}
				}
				return null;
			}));
		}
		for (Future<?> future : work) {
			future.get(2, TimeUnit.MINUTES);
		}
		threads.shutdown();
		assertThat(this.ledger).hasSize(emptied.get());
		assertThat(this.ledger.stream().map((run) -> run.split(" ")[0])).doesNotHaveDuplicates();
		assertThat(this.ledger.stream().mapToLong((run) -> Long.parseLong(run.split(" ")[2])).sum())
			.as("every successful markModified seen by exactly one last release")
			.isEqualTo(marked.get());
	}

	@Test
	void stoppingAProcessReleasesItsReferencesThroughTheNormalPath() throws Exception {
		DefaultReferences staying = process();
		DefaultReferences stopping = process();
		Reference kept = staying.acquire("record:8");
		stopping.acquire("record:8");
		stopping.acquire("record:9");
		stopping.close();
		assertThat(kept.count()).isEqualTo(1);
		assertThat(this.ledger).singleElement()
			.asString()
			.contains(" record:9 ")
			.contains("by " + stopping.processId());
		assertThat(kept.release()).isTrue();
	}

	@Test
	void aSlowLastReleaseHandlerKeepsItsProcessAliveAndRunsOnce() {
		// The handler takes three sessions: it must not hold up the heartbeats that keep
		// its process alive.
		this.session = Duration.ofSeconds(1);
		DefaultReferences first = process();
		DefaultReferences second = process();
		Reference firstHolds = first.acquire("record:20");
		Reference secondHolds = second.acquire("record:20");
		this.handlerMillis = 3_000;
		crashedHolder("crashed", "record:21");
		await().atMost(Duration.ofSeconds(60)).until(() -> this.ledger.size() == 1);
		this.handlerMillis = 0;
		assertThat(this.ledger).singleElement().asString().contains(" record:21 ");
		assertThat(firstHolds.count()).as("neither live process was reaped while the handler ran").isEqualTo(2);
		assertThat(first.held()).containsKey("record:20");
		assertThat(second.held()).containsKey("record:20");
		assertThat(firstHolds.release()).isFalse();
		assertThat(secondHolds.release()).isTrue();
		assertThat(this.ledger).hasSize(2).filteredOn((run) -> run.contains(" record:21 ")).hasSize(1);
	}

	@Test
	void aProcessWhoseSessionExpiredHealsAndNoLiveHolderIsLeftUncounted() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		DefaultReferences paused = process(registry);
		DefaultReferences other = process();
		Reference first = paused.acquire("record:30");
		Reference second = paused.acquire("record:30");
		Reference shared = paused.acquire("record:31");
		Reference othersShare = other.acquire("record:31");
		this.stalling.stall(paused.processId());
		// The other process reaps the paused one once its session ran out, and runs the
		// last release of what it held alone; then the other's release empties what they
		// shared.
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.ledger.stream().anyMatch((run) -> run.contains(" record:30 ")));
		assertThat(othersShare.release()).isTrue();
		this.stalling.resume();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> registry.get("phonon.reference.session.lost").counter().count() == 1);

		assertThat(paused.held()).as("holdings the engine dropped are no longer held here").isEmpty();
		for (Reference lost : List.of(first, second, shared)) {
			assertThatIllegalStateException().isThrownBy(lost::count).withMessageContaining("was lost");
			assertThatIllegalStateException().isThrownBy(lost::markModified).withMessageContaining("session expired");
		}
		assertThat(first.release()).as("a lost reference releases nothing").isFalse();
		Reference again = paused.acquire("record:30");
		assertThat(again.count()).as("a new reference joins again").isEqualTo(1);
		Reference others = other.acquire("record:30");
		assertThat(others.count()).isEqualTo(2);
		int runs = this.ledger.size();
		assertThat(others.release()).as("not the last one out while the healed process holds it").isFalse();
		assertThat(this.ledger).hasSize(runs);
		assertThat(again.release()).isTrue();
		assertThat(this.ledger).hasSize(runs + 1)
			.last()
			.asString()
			.contains(" record:30 ")
			.contains("by " + paused.processId());
		assertThat(registry.get("phonon.reference.session.lost").tag("backend", this.engine.name()).counter().count())
			.isEqualTo(1);
	}

	@Test
	void aSessionThatExpiredButWasNotReapedKeepsItsReferences() throws Exception {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		DefaultReferences alone = process(registry);
		Reference reference = alone.acquire("record:32");
		this.stalling.stall(alone.processId());
		Thread.sleep(SESSION.toMillis() * 3);
		assertThat(this.engine.count("record:32")).as("an expired session is not counted").isZero();
		this.stalling.resume();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> registry.get("phonon.reference.session.lost").counter().count() == 1);
		assertThat(reference.count()).as("nobody dropped the holding: it is live again").isEqualTo(1);
		assertThat(reference.release()).isTrue();
		assertThat(this.ledger).singleElement().asString().contains(" record:32 ");
	}

	@Test
	void aLastReleaseThatNeedsALockWhileItsProcessStopsIsLeftForALiveProcess() throws Exception {
		LockService stoppingLocks = LockService.builder(MemoryBackend.locks()).build();
		DefaultReferences stopping = process(null, stoppingLocks);
		DefaultReferences live = process();
		stopping.acquire("locked:1");
		((Stoppable) stoppingLocks).stop(System.nanoTime());
		stopping.stop(System.nanoTime());
		await().atMost(Duration.ofSeconds(20)).until(() -> this.ledger.size() == 1);
		assertThat(this.ledger).singleElement().asString().contains(" locked:1 by " + live.processId());
		((AutoCloseable) stoppingLocks).close();
	}

	@Test
	void badInputIsRefusedWithoutCorruptingCounts() {
		DefaultReferences process = process();
		assertThatIllegalArgumentException().isThrownBy(() -> process.acquire(""))
			.withMessageContaining("not be null or empty");
		assertThatIllegalArgumentException().isThrownBy(() -> process.acquire(null));
		Reference held = process.acquire("record:10");
		Reference released = process.acquire("record:10");
		released.release();
		assertThatIllegalStateException().isThrownBy(released::release).withMessageContaining("released already");
		assertThatIllegalStateException().isThrownBy(released::markModified).withMessageContaining("was released");
		assertThatIllegalStateException().isThrownBy(released::count);
		released.close();
		assertThat(held.count()).isEqualTo(1);
		assertThat(held.release()).isTrue();
		assertThat(this.ledger).hasSize(1);
	}

	@Test
	void handlerFailingWithABackendExceptionDoesNotMakeTheReleaseRepeatable() {
		DefaultReferences process = process();
		process.onLastRelease("fenced:*", (release) -> {
			throw new PhononBackendException("test", "write the merged record", null);
		});
		Reference first = process.acquire("fenced:1");
		Reference second = process.acquire("fenced:1");
		second.release();
		assertThatExceptionOfType(PhononBackendException.class).isThrownBy(first::release);
		assertThatIllegalStateException().isThrownBy(first::release).withMessageContaining("released already");
		Reference again = process.acquire("fenced:1");
		assertThat(again.count()).isEqualTo(1);
		assertThatExceptionOfType(PhononBackendException.class).as("emptied again, handler ran again")
			.isThrownBy(again::release);
	}

	@Test
	void lockGivesAnExclusiveLeaseOnTheResource() {
		DefaultReferences process = process();
		Reference reference = process.acquire("record:11");
		try (Lease lease = reference.lock(LockOptions.defaults())) {
			assertThat(lease.id()).isEqualTo("reference:record:11");
		}
		reference.release();
	}

	@Test
	void metersCountHeldReferencesAndLastReleasesByOutcome() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		DefaultReferences process = process(registry);
		process.onLastRelease("failing:*", (release) -> {
			throw new IllegalStateException("disk full");
		});
		Reference reference = process.acquire("record:12");
		assertThat(registry.get("phonon.reference.held").tag("backend", this.engine.name()).gauge().value())
			.isEqualTo(1);
		reference.release();
		assertThat(registry.get("phonon.reference.held").gauge().value()).isZero();
		Reference failing = process.acquire("failing:1");
		assertThatIllegalStateException().isThrownBy(failing::release).withMessage("disk full");
		assertThat(registry.get("phonon.reference.last.release").tag("outcome", "success").counter().count())
			.isEqualTo(1);
		assertThat(registry.get("phonon.reference.last.release").tag("outcome", "failure").counter().count())
			.isEqualTo(1);
		assertThat(this.engine.unhandled()).as("a failed run is complete, not retried").isEmpty();
	}

}
