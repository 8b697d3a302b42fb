package io.phonon.backend.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.phonon.PhononBackendException;
import io.phonon.lock.LockBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What only the file backend has to show: names that stay inside the directory,
 * owner-only directories, directories and links that others could have planted refused,
 * fencing that survives restarts, and atomic take-over of an expired lock.
 */
class FileLockBackendTests {

	@TempDir
	Path root;

	@Test
	void noKeyNamesAPathOutsideTheNamespaceDirectory() throws Exception {
		Path base = this.root.resolve("base");
		try (LockBackend backend = FileBackend.locks(base, "app")) {
			for (String id : List.of("../../etc", "../..", "/", "/etc/passwd", "\0", "a/../../b", "..\\..\\windows",
					"~", "x".repeat(10_000), "☃".repeat(10_000))) {
				assertThat(backend.tryAcquire(id, "owner", Duration.ofMinutes(1))).isPresent();
			}
			try (Stream<Path> all = Files.walk(this.root)) {
				assertThat(all.filter(Files::isDirectory)
					.filter((path) -> path.getFileName().toString().endsWith(".lock"))).hasSize(10)
					.allSatisfy((lock) -> assertThat(lock.getParent()).isEqualTo(base.resolve("app")))
					.allSatisfy((lock) -> assertThat(lock.getFileName().toString()).hasSizeLessThan(120));
			}
		}
	}

	@Test
	void unsafeNamespacesAreEncodedToo() throws Exception {
		try (LockBackend backend = FileBackend.locks(this.root, "../escape")) {
			assertThat(backend.tryAcquire("id", "owner", Duration.ofMinutes(1))).isPresent();
		}
		try (Stream<Path> children = Files.list(this.root)) {
			assertThat(children).singleElement()
				.satisfies((namespace) -> assertThat(namespace.getFileName().toString()).startsWith("___escape-"));
		}
		assertThat(this.root.getParent().resolve("escape")).doesNotExist();
	}

	@Test
	void createdDirectoriesAreOwnerOnly() throws Exception {
		Path base = this.root.resolve("private");
		try (LockBackend backend = FileBackend.locks(base, "app")) {
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(base))).isEqualTo("rwx------");
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(base.resolve("app"))))
				.isEqualTo("rwx------");
		}
	}

	@Test
	void fencingTokensSurviveARestartOfTheBackend() throws Exception {
		long before;
		try (LockBackend first = FileBackend.locks(this.root, "app")) {
			before = first.tryAcquire("fenced", "a", Duration.ofMinutes(1)).orElseThrow();
			first.release("fenced", "a");
		}
		try (LockBackend restarted = FileBackend.locks(this.root, "app")) {
			assertThat(restarted.tryAcquire("fenced", "b", Duration.ofMinutes(1)).orElseThrow()).isGreaterThan(before);
		}
	}

	@Test
	void ofManyRacingForAnExpiredLockExactlyOneWins() throws Exception {
		int racers = 8;
		List<LockBackend> backends = new ArrayList<>();
		for (int i = 0; i < racers; i++) {
			backends.add(FileBackend.locks(this.root, "app"));
		}
		ExecutorService pool = Executors.newFixedThreadPool(racers);
		try {
			for (int round = 0; round < 20; round++) {
				String id = "expired-" + round;
				assertThat(backends.get(0).tryAcquire(id, "crashed", Duration.ofMillis(1))).isPresent();
				Thread.sleep(5);
				CountDownLatch start = new CountDownLatch(1);
				List<Future<OptionalLong>> results = new ArrayList<>();
				for (int i = 0; i < racers; i++) {
					LockBackend backend = backends.get(i);
					String owner = "racer-" + i;
					Callable<OptionalLong> race = () -> {
						start.await();
						return backend.tryAcquire(id, owner, Duration.ofMinutes(1));
					};
					results.add(pool.submit(race));
				}
				start.countDown();
				int winners = 0;
				for (Future<OptionalLong> result : results) {
					winners += result.get(30, TimeUnit.SECONDS).isPresent() ? 1 : 0;
				}
				assertThat(winners).as("winners of round " + round).isEqualTo(1);
			}
		}
		finally {
			pool.shutdownNow();
			for (LockBackend backend : backends) {
				backend.close();
			}
		}
	}

	@Test
	void leftoversOfACrashDuringCreationAreSweptAtStart() throws Exception {
		Path namespace = this.root.resolve("app");
		Files.createDirectories(namespace.resolve(".tmp-crashed"));
		Files.writeString(namespace.resolve(".tmp-crashed").resolve("lease"), "half");
		try (LockBackend backend = FileBackend.locks(this.root, "app")) {
			assertThat(namespace.resolve(".tmp-crashed")).doesNotExist();
		}
	}

	@Test
	void aGuardPlantedAsALinkIsRefusedAndItsTargetLeftUntouched() throws Exception {
		Path victim = Files.writeString(this.root.resolve("victim"), "precious bytes");
		Path namespace = Files.createDirectories(this.root.resolve("base").resolve("app"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		Files.createSymbolicLink(namespace.resolve(".guard"), victim);
		assertThatExceptionOfType(PhononBackendException.class)
			.isThrownBy(() -> FileBackend.locks(this.root.resolve("base"), "app"))
			.withStackTraceContaining(".guard is a link or not a plain file");
		assertThat(victim).hasContent("precious bytes");
	}

	@Test
	void aDirectoryOthersMayWriteIsRefusedAndLeftAsItWas() throws Exception {
		Path shared = Files.createDirectory(this.root.resolve("shared"));
		Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
		assertThatExceptionOfType(PhononBackendException.class).isThrownBy(() -> FileBackend.locks(shared, "app"))
			.withMessageContaining("only its user owns and writes")
			.withStackTraceContaining("writable by others (rwxrwxrwx)")
			.withStackTraceContaining("chmod 700 " + shared);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared))).isEqualTo("rwxrwxrwx");
	}

	@Test
	void aDirectoryThatIsALinkIsRefused() throws Exception {
		Path real = Files.createDirectory(this.root.resolve("real"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		Path link = Files.createSymbolicLink(this.root.resolve("link"), real);
		assertThatExceptionOfType(PhononBackendException.class).isThrownBy(() -> FileBackend.locks(link, "app"))
			.withStackTraceContaining("a symbolic link");
	}

	@Test
	void aDirectoryAnotherUserOwnsIsRefused() throws Exception {
		Path theirs = Files.createDirectory(this.root.resolve("theirs"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		try {
			Files.setOwner(theirs,
					this.root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
		}
		catch (IOException ex) {
			// Only root may give a directory away; any other user finds /tmp owned by
			// root.
			theirs = Path.of("/tmp");
		}
		Path refused = theirs;
		assertThat(Files.getOwner(refused)).isNotEqualTo(Files.getOwner(this.root));
		assertThatExceptionOfType(PhononBackendException.class).isThrownBy(() -> FileBackend.locks(refused, "app"))
			.withStackTraceContaining("owned by " + Files.getOwner(refused).getName());
	}

	@Test
	void unusableDirectorySaysWhatToFix() throws Exception {
		Path notADirectory = Files.writeString(this.root.resolve("file"), "x");
		assertThatExceptionOfType(PhononBackendException.class)
			.isThrownBy(() -> FileBackend.locks(notADirectory, "app"))
			.withMessageContaining(notADirectory.toString())
			.withMessageContaining("set phonon.file.directory");
	}

}
