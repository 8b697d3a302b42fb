package io.phonon.backend.file;

import java.nio.file.Files;
import java.nio.file.Path;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phonon.PhononBackendException;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What {@link LockService} makes of an engine that fails: a file engine whose directory
 * became a file.
 */
class FileLockServiceFailureTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void engineFailureIsABackendExceptionAndCountsAsFailed(@TempDir Path directory) throws Exception {
		LockBackend file = FileBackend.locks(directory, "failing");
		LockService service = LockService.builder(file).meterRegistry(this.registry).build();
		try (var paths = Files.walk(directory)) {
			paths.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		Files.writeString(directory, "not a directory any more");
		assertThatExceptionOfType(PhononBackendException.class)
			.isThrownBy(() -> service.tryAcquire("records:1", LockOptions.defaults().withName("records")))
			.withMessageContaining("backend 'file' failed to acquire lock 'records:1'")
			.satisfies((ex) -> assertThat(ex.getBackend()).isEqualTo("file"));
		assertThat(
				this.registry.get("phonon.lock.acquire").tags("backend", "file", "outcome", "failed").timer().count())
			.isEqualTo(1);
		((AutoCloseable) service).close();
		file.close();
	}

}
