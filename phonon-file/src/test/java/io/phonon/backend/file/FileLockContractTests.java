package io.phonon.backend.file;

import java.nio.file.Path;

import io.phonon.lock.LockBackend;
import io.phonon.lock.LockContractTests;
import org.junit.jupiter.api.io.TempDir;

class FileLockContractTests extends LockContractTests {

	@TempDir
	Path directory;

	@Override
	protected LockBackend createBackend() {
		return FileBackend.locks(this.directory, "contract");
	}

}
