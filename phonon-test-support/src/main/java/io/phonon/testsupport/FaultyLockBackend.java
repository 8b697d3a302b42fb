package io.phonon.testsupport;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.phonon.backend.memory.MemoryBackend;
import io.phonon.backend.support.ForwardingLockBackend;

/**
 * The real memory engine with faults injected into the renewals of chosen lock ids:
 * refused (the engine says the lease is gone, as after a takeover) or stalled (the
 * request never answers, as when the engine or the network hangs) until {@link #heal()}.
 * It also counts the acquisitions that reach it.
 */
public final class FaultyLockBackend extends ForwardingLockBackend {

	/** What a renewal of an id does. */
	public enum Fault {

		REFUSE, STALL

	}

	/** The acquisition requests that reached the engine. */
	public final AtomicInteger acquisitions = new AtomicInteger();

	private final Map<String, Fault> faults = new ConcurrentHashMap<>();

	private final CountDownLatch healed = new CountDownLatch(1);

	public FaultyLockBackend() {
		super(MemoryBackend.locks());
	}

	public FaultyLockBackend fail(String id, Fault fault) {
		this.faults.put(id, fault);
		return this;
	}

	/** Lets stalled renewals answer, and later ones through. */
	public void heal() {
		this.faults.clear();
		this.healed.countDown();
	}

	@Override
	public boolean renew(String id, String owner, Duration lease) {
		Fault fault = this.faults.get(id);
		if (fault == Fault.REFUSE) {
			return false;
		}
		if (fault == Fault.STALL) {
			try {
				this.healed.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return super.renew(id, owner, lease);
	}

	@Override
	public OptionalLong tryAcquire(String id, String owner, Duration lease) {
		this.acquisitions.incrementAndGet();
		return super.tryAcquire(id, owner, lease);
	}

}
