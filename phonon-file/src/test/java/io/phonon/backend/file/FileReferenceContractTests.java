package io.phonon.backend.file;

import java.nio.file.Path;
import java.util.UUID;

import io.phonon.reference.ReferenceBackend;
import io.phonon.reference.ReferenceContractTests;
import org.junit.jupiter.api.io.TempDir;

class FileReferenceContractTests extends ReferenceContractTests {

	@TempDir
	static Path directory;

	@Override
	protected ReferenceBackend createEngine() {
		return FileBackend.references(directory, "references-" + UUID.randomUUID());
	}

}
