package io.phonon.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.phonon.Stoppable;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Phonon's part in the application's lifecycle. It stops in a phase after the web
 * server's graceful shutdown and the application's executors, and before connection
 * factories (phase 0, such as Lettuce's) and the {@code DataSource} (destroyed after
 * every lifecycle bean stopped): new acquisitions fail fast from the start of the stop;
 * locked sections still running keep their leases renewed until they end or
 * {@code phonon.shutdown.grace-period} runs out; then leases and references are released
 * through the normal path, sessions end, and the engines' listeners close. The stop runs
 * on the closing thread: it takes the grace period at most for running work, plus the
 * engine steps that release what remains, and is not cut short by
 * {@code spring.lifecycle.timeout-per-shutdown-phase}.
 */
public final class PhononLifecycle implements SmartLifecycle {

	/**
	 * After the web server stops ({@code DEFAULT_PHASE - 2048}), long before connection
	 * factories (0).
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Log logger = LogFactory.getLog(PhononLifecycle.class);

	private final List<Stoppable> services;

	private final List<AutoCloseable> engines;

	private final Duration gracePeriod;

	private volatile boolean running;

	/**
	 * @param services what to stop, in order
	 * @param engines what to close once they stopped
	 * @param gracePeriod how long running work may go on once the stop began
	 */
	PhononLifecycle(List<Stoppable> services, List<AutoCloseable> engines, Duration gracePeriod) {
		this.services = services;
		this.engines = engines;
		this.gracePeriod = gracePeriod;
	}

	@Override
	public void start() {
		this.services.forEach(Stoppable::start);
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		long deadline = System.nanoTime() + this.gracePeriod.toNanos();
		this.services.forEach((service) -> service.stop(deadline));
		for (AutoCloseable engine : this.engines) {
			try {
				engine.close();
			}
			catch (Exception ex) {
				logger.warn("Could not close Phonon engine " + engine, ex);
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
