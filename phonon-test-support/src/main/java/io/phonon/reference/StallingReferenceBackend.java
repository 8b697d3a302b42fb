package io.phonon.reference;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * A real reference engine whose heartbeats for one process stall until released: the
 * process looks to the engine as if it paused (a GC pause, {@code SIGSTOP}, a cut
 * network) while the other processes go on. Every other step goes to the engine
 * unchanged.
 */
final class StallingReferenceBackend implements ReferenceBackend {

	private final ReferenceBackend engine;

	private volatile String stalled = "";

	private volatile CountDownLatch resume = new CountDownLatch(0);

	StallingReferenceBackend(ReferenceBackend engine) {
		this.engine = engine;
	}

	/** Stalls the heartbeats of {@code process} from now until {@link #resume()}. */
	void stall(String process) {
		this.resume = new CountDownLatch(1);
		this.stalled = process;
	}

	void resume() {
		this.stalled = "";
		this.resume.countDown();
	}

	@Override
	public boolean heartbeat(String process, Duration sessionTimeout) {
		if (process.equals(this.stalled)) {
			try {
				this.resume.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		return this.engine.heartbeat(process, sessionTimeout);
	}

	@Override
	public String name() {
		return this.engine.name();
	}

	@Override
	public Set<String> heldBy(String process, Collection<String> resources) {
		return this.engine.heldBy(process, resources);
	}

	@Override
	public void endSession(String process) {
		this.engine.endSession(process);
	}

	@Override
	public void join(String resource, String process) {
		this.engine.join(resource, process);
	}

	@Override
	public Optional<LastRelease> leave(String resource, String process) {
		return this.engine.leave(resource, process);
	}

	@Override
	public long count(String resource) {
		return this.engine.count(resource);
	}

	@Override
	public long markModified(String resource) {
		return this.engine.markModified(resource);
	}

	@Override
	public long timesModified(String resource) {
		return this.engine.timesModified(resource);
	}

	@Override
	public List<String> reapExpiredSessions() {
		return this.engine.reapExpiredSessions();
	}

	@Override
	public List<LastRelease> unhandled() {
		return this.engine.unhandled();
	}

	@Override
	public boolean claim(String id, String process) {
		return this.engine.claim(id, process);
	}

	@Override
	public void complete(String id) {
		this.engine.complete(id);
	}

	@Override
	public void close() {
		this.engine.close();
	}

}
