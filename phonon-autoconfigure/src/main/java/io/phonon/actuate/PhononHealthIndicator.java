package io.phonon.actuate;

import io.phonon.reference.ReferenceBackend;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code phonon} health indicator: UP when the backend answers a read, DOWN with the
 * backend's error (which names the backend and what failed) when it does not.
 */
public class PhononHealthIndicator extends AbstractHealthIndicator {

	/** A resource nobody holds: counting it is a read that touches the engine. */
	private static final String PROBE = "phonon:health";

	private final ReferenceBackend backend;

	/**
	 * Creates the indicator.
	 * @param backend the backend's reference engine, present on every backend
	 */
	public PhononHealthIndicator(ReferenceBackend backend) {
		super("Phonon's backend did not answer");
		this.backend = backend;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		this.backend.count(PROBE);
		builder.up().withDetail("backend", this.backend.name());
	}

}
