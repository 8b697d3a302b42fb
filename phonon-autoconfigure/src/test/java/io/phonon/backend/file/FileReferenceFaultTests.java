package io.phonon.backend.file;

import java.nio.file.Path;

import io.phonon.backend.ReferenceFaultTests;
import org.junit.jupiter.api.io.TempDir;

class FileReferenceFaultTests extends ReferenceFaultTests {

	@TempDir
	Path engineDirectory;

	@Override
	protected String engine() {
		return "file:" + this.engineDirectory;
	}

}
