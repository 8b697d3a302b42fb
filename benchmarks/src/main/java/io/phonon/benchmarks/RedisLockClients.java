package io.phonon.benchmarks;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

import io.phonon.backend.redis.RedisBackend;
import io.phonon.lock.Lease;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;

import org.springframework.integration.redis.util.RedisLockRegistry;

/**
 * The Redis locks the lock benchmarks compare, each behind one blocking lock and unlock:
 * Phonon, Redisson {@code RLock} and Spring Integration's {@code RedisLockRegistry}. A
 * client may be shared by threads; each thread locks and unlocks for itself.
 */
final class RedisLockClients {

	private RedisLockClients() {
	}

	/**
	 * One client's view of the lock: blocking lock and unlock, on the client's own
	 * thread.
	 */
	interface Client {

		void lock() throws Exception;

		void unlock();

	}

	static Client phonon(URI redis, String id, int localHandOffs) {
		LockService locks = LockService.builder(RedisBackend.locks(BenchmarkServers.connectionFactory(redis), "bench"))
			.localHandOffs(localHandOffs)
			.build();
		LockOptions options = LockOptions.defaults().withLease(Duration.ofSeconds(30)).withWait(Duration.ofMinutes(1));
		return new Client() {

			private final ThreadLocal<Lease> lease = new ThreadLocal<>();

			@Override
			public void lock() {
				this.lease.set(locks.acquire(id, options));
			}

			@Override
			public void unlock() {
				this.lease.get().close();
			}

		};
	}

	static Client redisson(URI redis, String id) {
		RedissonClient client = BenchmarkServers.redisson(redis);
		RLock lock = client.getLock("redisson:" + id);
		return new Client() {

			@Override
			public void lock() {
				lock.lock(30, TimeUnit.SECONDS);
			}

			@Override
			public void unlock() {
				lock.unlock();
			}

		};
	}

	static Client integration(URI redis, String id, RedisLockRegistry.RedisLockType type) {
		RedisLockRegistry registry = new RedisLockRegistry(BenchmarkServers.connectionFactory(redis), "si-" + type,
				Duration.ofSeconds(30));
		registry.setRedisLockType(type);
		Lock lock = registry.obtain(id);
		return new Client() {

			@Override
			public void lock() {
				lock.lock();
			}

			@Override
			public void unlock() {
				lock.unlock();
			}

		};
	}

}
