package io.phonon.interceptor;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

import io.phonon.backend.memory.MemoryBackend;
import io.phonon.lock.LockBackend;

/** The real memory engine, counting the acquisitions that reach it. */
class CountingLockBackend implements LockBackend {

	final AtomicInteger acquisitions = new AtomicInteger();

	private final LockBackend engine = MemoryBackend.locks();

	@Override
	public String name() {
		return this.engine.name();
	}

	@Override
	public OptionalLong tryAcquire(String id, String owner, Duration lease) {
		this.acquisitions.incrementAndGet();
		return this.engine.tryAcquire(id, owner, lease);
	}

	@Override
	public boolean renew(String id, String owner, Duration lease) {
		return this.engine.renew(id, owner, lease);
	}

	@Override
	public boolean release(String id, String owner) {
		return this.engine.release(id, owner);
	}

	@Override
	public void awaitRelease(String id, Duration maxWait) throws InterruptedException {
		this.engine.awaitRelease(id, maxWait);
	}

}
