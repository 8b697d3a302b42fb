package io.phonon.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link PhononEngineUnavailableException}: which backend was chosen, what it
 * lacks, and how to provide it.
 */
class PhononEngineUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<PhononEngineUnavailableException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, PhononEngineUnavailableException cause) {
		return new FailureAnalysis(cause.getDescription(),
				cause.getAction() + ", or choose another backend with" + " phonon.backend (memory, file, redis, jdbc).",
				cause);
	}

}
