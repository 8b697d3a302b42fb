package io.phonon.backend.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.phonon.lock.Lease;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads (virtual threads where the JDK has them) contend for a few locks: nobody
 * is ever inside a lock with another holder, every section runs, and each lock's tokens
 * increase in the order its holders ran. CI runs this again on JDK 25.
 */
@Tag("concurrency")
class MemoryLockConcurrencyTests {

	private static final int THREADS = 64;

	private static final int SECTIONS = 100;

	private static final List<String> IDS = List.of("a", "b", "c", "d");

	@Test
	void contendingHoldersNeverOverlapAndTokensFollowTheOrderOfHolding() throws Exception {
		LockService locks = LockService.builder(MemoryBackend.locks()).build();
		ConcurrentHashMap<String, AtomicInteger> inside = new ConcurrentHashMap<>();
		ConcurrentHashMap<String, ConcurrentLinkedQueue<Long>> tokens = new ConcurrentHashMap<>();
		AtomicInteger overlaps = new AtomicInteger();
		LockOptions options = LockOptions.defaults().withWait(Duration.ofMinutes(2)).withLease(Duration.ofSeconds(30));
		ExecutorService threads = newThreadPerTaskExecutor();
		System.out.println("Contending on " + describe(threads) + " threads, JDK " + Runtime.version());
		List<Future<?>> workers = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			int worker = t;
			workers.add(threads.submit(() -> {
				for (int i = 0; i < SECTIONS; i++) {
					String id = IDS.get((worker + i) % IDS.size());
					locks.withLock(id, options, () -> {
						if (inside.computeIfAbsent(id, (k) -> new AtomicInteger()).incrementAndGet() != 1) {
							overlaps.incrementAndGet();
						}
						tokens.computeIfAbsent(id, (k) -> new ConcurrentLinkedQueue<>())
							.add(Lease.current().orElseThrow().token());
						Thread.yield();
						inside.get(id).decrementAndGet();
						return null;
					});
				}
				return null;
			}));
		}
		for (Future<?> worker : workers) {
			worker.get(5, TimeUnit.MINUTES);
		}
		threads.shutdown();
		((AutoCloseable) locks).close();
		assertThat(overlaps).hasValue(0);
		assertThat(tokens.values().stream().mapToInt(ConcurrentLinkedQueue::size).sum()).isEqualTo(THREADS * SECTIONS);
		for (ConcurrentLinkedQueue<Long> perId : tokens.values()) {
			assertThat(new ArrayList<>(perId)).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
		}
	}

	/**
	 * Virtual threads on JDK 21+, found reflectively because the code is compiled for
	 * Java 17.
	 */
	private static ExecutorService newThreadPerTaskExecutor() {
		try {
			return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
		}
		catch (ReflectiveOperationException ex) {
			return Executors.newFixedThreadPool(THREADS);
		}
	}

	private static String describe(ExecutorService executor) {
		return executor.getClass().getSimpleName().contains("ThreadPerTask") ? "virtual" : "platform";
	}

}
