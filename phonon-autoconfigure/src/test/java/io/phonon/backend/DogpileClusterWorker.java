package io.phonon.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.phonon.dogpile.DogpileCache;
import io.phonon.dogpile.DogpileOptions;
import io.phonon.dogpile.Dogpiles;
import io.phonon.JacksonJsonCodec;
import io.phonon.lock.LockService;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;

/**
 * One worker JVM of {@link DogpileClusterTests}: 32 threads call one key of a shared
 * dogpile cache from an agreed moment on, until the test writes the file {@link #STOP}.
 * The first computation takes {@link #REGENERATION}. A regeneration of a stale value goes
 * on until this JVM's other threads have been served {@link #THREADS} times while it
 * runs, and so has every other worker (each publishes its count in a file beside its
 * output, {@code served-<pid>}, or {@code done} once its run is over), at most for a
 * minute: if callers in any JVM waited for the regeneration, that would never happen.
 * Each writes
 * {@code regen <pid> <start> <end> <served while it ran, or -1 for a first computation>}
 * (wall-clock milliseconds) to the ledger in the engine; its value is its start. The
 * worker writes to its output file each thread's first value and when its first call
 * began ({@code first <value> <start>}, wall-clock milliseconds) and the latencies of
 * every later call that did not regenerate ({@code other <nanos>}), for the record.
 */
public final class DogpileClusterWorker {

	static final Duration EXPIRE_AFTER = Duration.ofSeconds(1);

	static final Duration REGENERATION = Duration.ofSeconds(1);

	static final int THREADS = 32;

	/**
	 * The file, beside the output files, whose appearance ends the run (its argument is
	 * only a cap).
	 */
	static final String STOP = "stop";

	private DogpileClusterWorker() {
	}

	public static void main(String[] args) throws Exception {
		TestEngine engine = new TestEngine(args[0]);
		String namespace = args[1];
		long startAt = Long.parseLong(args[2]);
		long runUntil = startAt + Long.parseLong(args[3]);
		Path output = Path.of(args[4]);
		LockService locks = LockService.builder(engine.locks(namespace)).build();
		Dogpiles dogpiles = Dogpiles.builder(engine.dogpiles(namespace), locks)
			.codec(new JacksonJsonCodec(JsonMapper.builder().build()))
			.build();
		DogpileCache<Long> cache = dogpiles.cache("report", new ParameterizedTypeReference<Long>() {
		}, DogpileOptions.expireAfter(EXPIRE_AFTER));
		Consumer<String> ledger = engine.ledger(namespace);
		long pid = ProcessHandle.current().pid();
		ConcurrentLinkedQueue<String> results = new ConcurrentLinkedQueue<>();
		AtomicBoolean valued = new AtomicBoolean();
		ServedCounts counts = new ServedCounts(output.getParent(), pid);
		AtomicBoolean stopped = new AtomicBoolean();
		Thread stopWatch = new Thread(() -> {
			while (!Files.exists(output.resolveSibling(STOP))) {
				try {
					Thread.sleep(20);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
			stopped.set(true);
		}, "stop-watch");
		stopWatch.setDaemon(true);
		stopWatch.start();
		ExecutorService threads = Executors.newFixedThreadPool(THREADS);
		List<Future<?>> running = new ArrayList<>();
		for (int i = 0; i < THREADS; i++) {
			int thread = i;
			running.add(threads.submit(() -> {
				Thread.sleep(Math.max(0, startAt - System.currentTimeMillis()));
				boolean first = true;
				while (!stopped.get() && System.currentTimeMillis() < runUntil) {
					boolean[] regenerated = new boolean[1];
					long start = System.nanoTime();
					long calledAt = System.currentTimeMillis();
					Long value = cache.get("k", () -> {
						regenerated[0] = true;
						long began = System.currentTimeMillis();
						long unserved = -1;
						if (valued.get()) {
							Map<String, long[]> before = counts.read();
							long cap = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
							while ((unserved = counts.unservedSince(before, thread)) > 0
									&& System.nanoTime() - cap < 0) {
								Thread.sleep(5);
							}
						}
						else {
							Thread.sleep(REGENERATION.toMillis()); // the first value: the
																	// others wait for it,
																	// as they must
						}
						ledger.accept("regen " + pid + " " + began + " " + System.currentTimeMillis() + " " + unserved);
						return began;
					});
					long took = System.nanoTime() - start;
					valued.set(true);
					if (first) {
						results.add("first " + value + " " + calledAt);
						counts.firstCallReturned(thread);
						first = false;
					}
					else if (!regenerated[0]) {
						counts.served(thread);
						results.add("other " + took);
					}
					Thread.sleep(2);
				}
				counts.finished(thread);
				return null;
			}));
		}
		for (Future<?> thread : running) {
			thread.get();
		}
		counts.close();
		List<String> lines = new ArrayList<>(results);
		Collections.sort(lines);
		Files.write(output, lines);
		System.exit(0);
	}

	/**
	 * Each thread's count of calls served without regenerating, for every worker: this
	 * worker's in memory, published every few milliseconds to a file that the other
	 * workers read.
	 */
	private static final class ServedCounts {

		/** The count of a thread whose run is over. */
		private static final long FINISHED = -1;

		/**
		 * The count of a thread still in its first call: it waits for the first value, as
		 * it must, and is judged by the test's first-call check instead.
		 */
		private static final long FIRST_CALL = -2;

		private final Path directory;

		private final String mine;

		private final AtomicLongArray served = new AtomicLongArray(THREADS);

		private volatile boolean closed;

		ServedCounts(Path directory, long pid) throws IOException {
			this.directory = directory;
			this.mine = "served-" + pid;
			for (int i = 0; i < THREADS; i++) {
				this.served.set(i, FIRST_CALL);
			}
			publish();
			Thread publisher = new Thread(() -> {
				while (!this.closed) {
					try {
						publish();
						Thread.sleep(5);
					}
					catch (IOException | InterruptedException ex) {
						return;
					}
				}
			}, "served-publisher");
			publisher.setDaemon(true);
			publisher.start();
		}

		void firstCallReturned(int thread) {
			this.served.set(thread, 0);
		}

		void served(int thread) {
			this.served.incrementAndGet(thread);
		}

		void finished(int thread) {
			this.served.set(thread, FINISHED);
		}

		private long[] own() {
			long[] counts = new long[THREADS];
			for (int i = 0; i < THREADS; i++) {
				counts[i] = this.served.get(i);
			}
			return counts;
		}

		private synchronized void publish() throws IOException {
			Path next = this.directory.resolve(this.mine + ".next");
			Files.writeString(next, Arrays.stream(own()).mapToObj(Long::toString).collect(Collectors.joining(" ")));
			Files.move(next, this.directory.resolve(this.mine), StandardCopyOption.REPLACE_EXISTING,
					StandardCopyOption.ATOMIC_MOVE);
		}

		/**
		 * Returns every worker's threads' counts now: this one's own, the others' as last
		 * published.
		 */
		Map<String, long[]> read() throws IOException {
			Map<String, long[]> counts = new HashMap<>();
			try (Stream<Path> files = Files.list(this.directory)) {
				for (Path file : files.filter((f) -> f.getFileName().toString().matches("served-\\d+")).toList()) {
					String name = file.getFileName().toString();
					counts.put(name, name.equals(this.mine) ? own()
							: Arrays.stream(Files.readString(file).split(" ")).mapToLong(Long::parseLong).toArray());
				}
			}
			return counts;
		}

		/**
		 * Returns how many threads, of every worker, have not been served since
		 * {@code before}: all but {@code regenerating} of this worker, and those of the
		 * others; threads that were in their first call then, or have finished since, are
		 * left out.
		 */
		long unservedSince(Map<String, long[]> before, int regenerating) throws IOException {
			long unserved = 0;
			for (Map.Entry<String, long[]> now : read().entrySet()) {
				long[] then = before.get(now.getKey());
				for (int i = 0; then != null && i < THREADS; i++) {
					boolean self = now.getKey().equals(this.mine) && i == regenerating;
					boolean running = then[i] >= 0 && now.getValue()[i] >= 0;
					if (!self && running && now.getValue()[i] == then[i]) {
						unserved++;
					}
				}
			}
			return unserved;
		}

		void close() throws IOException {
			this.closed = true;
			publish();
		}

	}

}
