package io.phonon.backend.file;

import java.nio.file.Path;

import io.phonon.atom.AtomBackend;
import io.phonon.atom.AtomContractTests;
import org.junit.jupiter.api.io.TempDir;

class FileAtomContractTests extends AtomContractTests {

	@TempDir
	static Path directory;

	@Override
	protected AtomBackend createEngine(String namespace) {
		return FileBackend.atoms(directory, namespace);
	}

}
