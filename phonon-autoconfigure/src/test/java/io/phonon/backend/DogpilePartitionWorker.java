package io.phonon.backend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.phonon.JacksonJsonCodec;
import io.phonon.dogpile.DogpileCache;
import io.phonon.dogpile.DogpileOptions;
import io.phonon.dogpile.Dogpiles;
import io.phonon.lock.LockService;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;

/**
 * The regenerator of {@link DogpilePartitionTests}: computes the first value of one key,
 * lets it go stale, and regenerates it. The regeneration announces itself
 * ({@code regenerating}) and goes on until the test says the partition is over
 * ({@code healed}); then it writes what its call returned ({@code returned}).
 */
public final class DogpilePartitionWorker {

	static final Duration LEASE = Duration.ofSeconds(1);

	static final Duration EXPIRE_AFTER = Duration.ofMillis(500);

	private DogpilePartitionWorker() {
	}

	/** The cache that the worker and the test share: leases and freshness short. */
	static DogpileCache<String> cache(TestEngine engine, String namespace) {
		LockService locks = LockService.builder(engine.locks(namespace)).defaultLease(LEASE).build();
		Dogpiles dogpiles = Dogpiles.builder(engine.dogpiles(namespace), locks)
			.codec(new JacksonJsonCodec(JsonMapper.builder().build()))
			.build();
		return dogpiles.cache("report", new ParameterizedTypeReference<String>() {
		}, DogpileOptions.expireAfter(EXPIRE_AFTER));
	}

	public static void main(String[] args) throws Exception {
		TestEngine engine = new TestEngine(args[0]);
		Path directory = Path.of(args[2]);
		DogpileCache<String> cache = cache(engine, args[1]);
		cache.get("k", () -> "first");
		Thread.sleep(EXPIRE_AFTER.multipliedBy(2).toMillis());
		String returned = cache.get("k", () -> {
			Files.writeString(directory.resolve("regenerating"), "");
			while (!Files.exists(directory.resolve("healed"))) {
				Thread.sleep(10);
			}
			return "cut-off";
		});
		Files.writeString(directory.resolve("returned"), returned);
		System.exit(0);
	}

}
