package io.phonon.reference;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.phonon.PhononBackendException;
import io.phonon.lock.Lease;
import io.phonon.lock.LockOptions;
import org.jspecify.annotations.Nullable;

/**
 * One holder's reference. Released once: a second release, or any use after it, is
 * refused without touching the counts.
 */
final class DefaultReference implements Reference {

	private final DefaultReferences references;

	private final String resource;

	private final DefaultReferences.Holding holding;

	private final AtomicBoolean released = new AtomicBoolean();

	DefaultReference(DefaultReferences references, String resource, DefaultReferences.Holding holding) {
		this.references = references;
		this.resource = resource;
		this.holding = holding;
	}

	@Override
	public String resource() {
		return this.resource;
	}

	@Override
	public long count() {
		checkHeld();
		return this.references.backend().count(this.resource);
	}

	@Override
	public long markModified() {
		checkHeld();
		return this.references.backend().markModified(this.resource);
	}

	@Override
	public long timesModified() {
		checkHeld();
		return this.references.backend().timesModified(this.resource);
	}

	@Override
	public Lease lock(LockOptions options) {
		checkHeld();
		return this.references.lockService().acquire("reference:" + this.resource, options);
	}

	@Override
	public boolean release() {
		return release(null);
	}

	@Override
	public boolean release(@Nullable Runnable onLast) {
		if (!this.released.compareAndSet(false, true)) {
			throw new IllegalStateException(
					"The reference to '" + this.resource + "' was released already; release each reference once");
		}
		Optional<LastRelease> emptied;
		try {
			emptied = this.references.leave(this.resource, this.holding);
		}
		catch (PhononBackendException ex) {
			// The engine did not take the release: the reference is still held.
			this.released.set(false);
			throw ex;
		}
		// Released now, whatever the handlers do.
		emptied.ifPresent((release) -> this.references.runLastRelease(release, onLast));
		return emptied.isPresent();
	}

	@Override
	public void close() {
		if (!this.released.get()) {
			release();
		}
	}

	/**
	 * Refuses a released or lost reference; after a pause past the session, heals first,
	 * so a lost one says so.
	 */
	private void checkHeld() {
		if (!this.released.get()) {
			this.references.ensureSession();
		}
		if (this.released.get()) {
			throw new IllegalStateException("The reference to '" + this.resource
					+ "' was released; acquire a new one to use the resource again");
		}
		String lost = this.holding.lost;
		if (lost != null) {
			throw new IllegalStateException("The reference to '" + this.resource + "' was lost: " + lost
					+ ". Another process may have run the last release meanwhile; acquire a new reference");
		}
	}

	@Override
	public String toString() {
		return "Reference[" + this.resource
				+ (this.released.get() ? ", released" : (this.holding.lost != null) ? ", lost" : "") + "]";
	}

}
