package io.phonon.backend.support;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

import io.phonon.lock.LockBackend;

/**
 * A lock engine that passes every step, the optional ones too, to another: the base of a
 * decorator (counting, tracing, injecting faults) that overrides only the steps it
 * changes. Renewals reach {@link #renewAll}; on an engine without batches they go on to
 * {@link #renew}. A decorator written against {@link LockBackend} directly inherits its
 * defaults instead, and silently turns off what the engine underneath has (batched
 * renewals, hand-off). The calls that answer without blocking
 * ({@link LockBackend#tryAcquireAsync}, {@link LockBackend#releaseAsync}) are not passed
 * on: a decorator that changes {@code tryAcquire} or {@code release} sees every
 * acquisition and release, reactive sections' too, which then call it on a thread that
 * may block.
 */
public abstract class ForwardingLockBackend implements LockBackend {

	private final LockBackend delegate;

	/**
	 * Creates a decorator of {@code delegate}.
	 * @param delegate the engine each step goes to
	 */
	protected ForwardingLockBackend(LockBackend delegate) {
		this.delegate = delegate;
	}

	/**
	 * Returns the engine each step goes to.
	 * @return the engine underneath
	 */
	protected final LockBackend delegate() {
		return this.delegate;
	}

	@Override
	public String name() {
		return this.delegate.name();
	}

	@Override
	public OptionalLong tryAcquire(String id, String owner, Duration lease) {
		return this.delegate.tryAcquire(id, owner, lease);
	}

	@Override
	public boolean renew(String id, String owner, Duration lease) {
		return this.delegate.renew(id, owner, lease);
	}

	/**
	 * Passes the batch to the engine where it renews in batches; elsewhere renews one by
	 * one through {@link #renew}, so that a decorator's {@code renew} sees each renewal.
	 */
	@Override
	public boolean[] renewAll(List<Renewal> renewals) {
		return (this.delegate.renewalBatchSize() > 1) ? this.delegate.renewAll(renewals)
				: LockBackend.super.renewAll(renewals);
	}

	@Override
	public int renewalBatchSize() {
		return this.delegate.renewalBatchSize();
	}

	@Override
	public boolean release(String id, String owner) {
		return this.delegate.release(id, owner);
	}

	@Override
	public boolean handsOver() {
		return this.delegate.handsOver();
	}

	@Override
	public OptionalLong handOver(String id, String owner, String nextOwner, Duration lease) {
		return this.delegate.handOver(id, owner, nextOwner, lease);
	}

	@Override
	public void awaitRelease(String id, Duration maxWait) throws InterruptedException {
		this.delegate.awaitRelease(id, maxWait);
	}

	@Override
	public Duration shortestLease() {
		return this.delegate.shortestLease();
	}

	@Override
	public void close() {
		this.delegate.close();
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.delegate + "]";
	}

}
