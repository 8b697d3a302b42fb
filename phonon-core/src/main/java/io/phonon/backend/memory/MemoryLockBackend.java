package io.phonon.backend.memory;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.phonon.SweptMap;
import io.phonon.lock.LockBackend;

/**
 * Locks in this JVM: holders in lock-striped maps, waiters parked on their stripe's
 * condition (never {@code synchronized}, so virtual threads do not pin). Fencing tokens
 * come from one counter for all ids, which makes every id's tokens strictly increasing.
 */
final class MemoryLockBackend implements LockBackend {

	private static final int STRIPES = 64;

	private final Stripe[] stripes = new Stripe[STRIPES];

	private final AtomicLong tokens = new AtomicLong();

	MemoryLockBackend() {
		for (int i = 0; i < STRIPES; i++) {
			this.stripes[i] = new Stripe();
		}
	}

	@Override
	public Duration shortestLease() {
		return Duration.ofMillis(10); // renewal is a map update in this process
	}

	@Override
	public String name() {
		return MemoryBackend.NAME;
	}

	@Override
	public OptionalLong tryAcquire(String id, String owner, Duration lease) {
		Stripe stripe = stripe(id);
		stripe.lock.lock();
		try {
			long now = System.nanoTime();
			Holder holder = stripe.holders.get(id);
			long token;
			if (holder == null || holder.expired(now)) {
				token = this.tokens.incrementAndGet();
			}
			else if (holder.owner.equals(owner)) {
				token = holder.token;
			}
			else {
				return OptionalLong.empty();
			}
			if (holder == null) {
				stripe.holders.put(id, new Holder(owner, token, now + lease.toNanos()));
			}
			else {
				holder.hold(owner, token, now + lease.toNanos());
			}
			return OptionalLong.of(token);
		}
		finally {
			stripe.lock.unlock();
		}
	}

	@Override
	public boolean renew(String id, String owner, Duration lease) {
		Stripe stripe = stripe(id);
		stripe.lock.lock();
		try {
			long now = System.nanoTime();
			Holder holder = stripe.holders.get(id);
			if (holder == null || holder.expired(now) || !holder.owner.equals(owner)) {
				return false;
			}
			holder.hold(owner, holder.token, now + lease.toNanos());
			return true;
		}
		finally {
			stripe.lock.unlock();
		}
	}

	@Override
	public boolean release(String id, String owner) {
		Stripe stripe = stripe(id);
		stripe.lock.lock();
		try {
			Holder holder = stripe.holders.get(id);
			if (holder == null || !holder.owner.equals(owner)) {
				return false;
			}
			boolean held = !holder.expired(System.nanoTime());
			holder.release();
			if (stripe.waiters > 0) {
				stripe.released.signalAll();
			}
			return held;
		}
		finally {
			stripe.lock.unlock();
		}
	}

	@Override
	public void awaitRelease(String id, Duration maxWait) throws InterruptedException {
		Stripe stripe = stripe(id);
		stripe.lock.lockInterruptibly();
		try {
			long now = System.nanoTime();
			Holder holder = stripe.holders.get(id);
			if (holder == null || holder.expired(now)) {
				return;
			}
			stripe.waiters++;
			try {
				stripe.released.awaitNanos(Math.min(maxWait.toNanos(), holder.expiresAt - now));
			}
			finally {
				stripe.waiters--;
			}
		}
		finally {
			stripe.lock.unlock();
		}
	}

	/** How many holders the stripes keep, expired or not: what they cost in memory. */
	int held() {
		int held = 0;
		for (Stripe stripe : this.stripes) {
			held += stripe.holders.held();
		}
		return held;
	}

	private Stripe stripe(String id) {
		int h = id.hashCode();
		return this.stripes[(h ^ (h >>> 16)) & (STRIPES - 1)];
	}

	private static final class Stripe {

		final ReentrantLock lock = new ReentrantLock();

		final Condition released = this.lock.newCondition();

		/**
		 * Holders released, or whose leases ran out without a release (abandoned), are
		 * swept, not kept for ever.
		 */
		final SweptMap<String, Holder> holders = new SweptMap<>((holder) -> holder.expired(System.nanoTime()));

		int waiters;

	}

	/**
	 * Who holds an id, changed in place under its stripe's lock: taking an id again, a
	 * renewal and a release write no map and allocate nothing. A released holder stays in
	 * the map, ended, until the id is taken again or a sweep (which runs inside a
	 * {@code put}, so under the same lock) removes it.
	 */
	private static final class Holder {

		String owner;

		long token;

		long expiresAt;

		boolean released;

		Holder(String owner, long token, long expiresAt) {
			hold(owner, token, expiresAt);
		}

		void hold(String owner, long token, long expiresAt) {
			this.owner = owner;
			this.token = token;
			this.expiresAt = expiresAt;
			this.released = false;
		}

		void release() {
			this.released = true;
		}

		boolean expired(long now) {
			return this.released || now - this.expiresAt >= 0;
		}

	}

}
