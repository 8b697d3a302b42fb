package io.phonon.backend.file;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.phonon.backend.ReferenceFaultTests;
import io.phonon.backend.ReferenceFaultWorker;
import org.junit.jupiter.api.io.TempDir;

class FileReferenceFaultTests extends ReferenceFaultTests {

	@TempDir
	Path engineDirectory;

	@Override
	protected String engine() {
		return "file:" + this.engineDirectory;
	}

	@Override
	protected List<String> readLedger(String namespace) throws Exception {
		return Files.readAllLines(ReferenceFaultWorker.ledgerFile(engine(), namespace));
	}

}
