package io.phonon.backend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import io.phonon.dogpile.DogpileCache;
import io.phonon.dogpile.DogpileOptions;
import io.phonon.dogpile.Dogpiles;
import io.phonon.JacksonJsonCodec;
import io.phonon.lock.LockService;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;

/**
 * One worker JVM of {@link DogpileClusterTests}: 32 threads call one key of a shared dogpile cache
 * from an agreed moment on. Each regeneration takes {@link #REGENERATION} and writes
 * {@code regen <pid> <start> <end>} (wall-clock milliseconds) to the ledger in the engine; its
 * value is its start. The worker writes to its output file each thread's first value
 * ({@code first <value>}) and the latencies of every later call that did not regenerate
 * ({@code other <nanos>}).
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
						Thread.sleep(REGENERATION.toMillis());
						ledger.accept("regen " + pid + " " + began + " " + System.currentTimeMillis());
						return began;
					});
					long took = System.nanoTime() - start;
					if (first) {
						results.add("first " + value);
						first = false;
					}
					else if (!regenerated[0]) {
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
		List<String> lines = new ArrayList<>(results);
		Collections.sort(lines);
		Files.write(output, lines);
		System.exit(0);
	}

}
