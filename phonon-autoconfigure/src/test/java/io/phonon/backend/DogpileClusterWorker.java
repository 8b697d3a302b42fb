package io.phonon.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.phonon.dogpile.DogpileCache;
import io.phonon.dogpile.DogpileOptions;
import io.phonon.dogpile.Dogpiles;
import io.phonon.JacksonJsonCodec;
import io.phonon.lock.LockService;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;

/**
 * One worker JVM of {@link DogpileClusterTests}: 32 threads call one key of a shared dogpile cache
 * from an agreed moment on. The first computation takes {@link #REGENERATION}. A regeneration of a
 * stale value goes on until this JVM's other threads have been served {@link #THREADS} times while
 * it runs, and so has every other worker (each publishes its count in a file beside its output,
{@code served-<pid>}, or {@code done} once its run is over), at most for a minute: if callers in
any JVM waited for the regeneration, that would never happen. Each writes
 * {@code regen <pid> <start> <end> <served while it ran, or -1 for a first computation>}
 * (wall-clock milliseconds) to the ledger in the engine; its value is its start. The worker writes
 * to its output file each thread's first value ({@code first <value>}) and the latencies of every
 * later call that did not regenerate ({@code other <nanos>}), for the record.
 */
public final class DogpileClusterWorker {

	static final Duration EXPIRE_AFTER = Duration.ofSeconds(1);

	static final Duration REGENERATION = Duration.ofSeconds(1);

	static final int THREADS = 32;

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
		AtomicLong served = new AtomicLong();
		ServedCounts counts = new ServedCounts(output.getParent(), pid, served);
		ExecutorService threads = Executors.newFixedThreadPool(THREADS);
		List<Future<?>> running = new ArrayList<>();
		for (int i = 0; i < THREADS; i++) {
			running.add(threads.submit(() -> {
				Thread.sleep(Math.max(0, startAt - System.currentTimeMillis()));
				boolean first = true;
				while (System.currentTimeMillis() < runUntil) {
					boolean[] regenerated = new boolean[1];
					long start = System.nanoTime();
					Long value = cache.get("k", () -> {
						regenerated[0] = true;
						long began = System.currentTimeMillis();
						long servedWhileRunning = -1;
						if (valued.get()) {
							Map<Path, Long> before = counts.read();
							long cap = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
							while ((servedWhileRunning = counts.leastServedSince(before)) < THREADS
									&& System.nanoTime() - cap < 0) {
								Thread.sleep(5);
							}
						}
						else {
							Thread.sleep(REGENERATION.toMillis()); // the first value: the others wait for it, as they must
						}
						ledger.accept("regen " + pid + " " + began + " " + System.currentTimeMillis() + " "
								+ servedWhileRunning);
						return began;
					});
					long took = System.nanoTime() - start;
					valued.set(true);
					if (first) {
						results.add("first " + value);
						first = false;
					}
					else if (!regenerated[0]) {
						served.incrementAndGet();
						results.add("other " + took);
					}
					Thread.sleep(2);
				}
				return null;
			}));
		}
		for (Future<?> thread : running) {
			thread.get();
		}
		counts.done();
		List<String> lines = new ArrayList<>(results);
		Collections.sort(lines);
		Files.write(output, lines);
		System.exit(0);
	}

	/** The workers' counts of calls served without regenerating, shared through files. */
	private static final class ServedCounts {

		private static final long DONE = Long.MAX_VALUE;

		private final Path directory;

		private final Path mine;

		private final AtomicLong served;

		private volatile boolean done;

		ServedCounts(Path directory, long pid, AtomicLong served) throws IOException {
			this.directory = directory;
			this.mine = directory.resolve("served-" + pid);
			this.served = served;
			publish(0);
			Thread publisher = new Thread(() -> {
				while (!this.done) {
					try {
						publish(this.served.get());
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

		private void publish(long count) throws IOException {
			Path next = this.directory.resolve(this.mine.getFileName() + ".next");
			Files.writeString(next, Long.toString(count));
			Files.move(next, this.mine, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}

		/** Returns each worker's count now: this one's own, the others' as last published. */
		Map<Path, Long> read() throws IOException {
			Map<Path, Long> counts = new HashMap<>();
			try (Stream<Path> files = Files.list(this.directory)) {
				for (Path file : files.filter((f) -> f.getFileName().toString().matches("served-\\d+")).toList()) {
					counts.put(file, file.equals(this.mine) ? this.served.get() : Long.parseLong(Files.readString(file)));
				}
			}
			return counts;
		}

		/** Returns the fewest calls any worker still running served since {@code before}. */
		long leastServedSince(Map<Path, Long> before) throws IOException {
			long least = DONE;
			for (Map.Entry<Path, Long> now : read().entrySet()) {
				Long then = before.get(now.getKey());
				if (then != null && now.getValue() != DONE) {
					least = Math.min(least, now.getValue() - then);
				}
			}
			return least;
		}

		void done() throws IOException {
			this.done = true;
			publish(DONE);
		}

	}

}
