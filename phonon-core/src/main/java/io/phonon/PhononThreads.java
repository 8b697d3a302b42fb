package io.phonon;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of Phonon's own maintenance (renewals, heartbeats, last-release handlers):
 * daemon threads apart from the application's executors, so that maintenance never waits
 * behind the application's work and the application's work never waits behind it.
 */
public final class PhononThreads {

	private PhononThreads() {
	}

	/**
	 * Returns a pool of at most {@code threads} daemon threads that end when idle: tasks
	 * beyond them queue.
	 * @param name the threads' name, numbered
	 * @param threads the most threads at once
	 * @return a new pool; shut it down when done
	 */
	public static ThreadPoolExecutor pool(String name, int threads) {
		return pool(name, threads, new LinkedBlockingQueue<>());
	}

	/**
	 * Returns a pool of at most {@code threads} daemon threads that end when idle, with
	 * room for {@code queued} tasks beyond them: more are refused with a
	 * {@link java.util.concurrent.RejectedExecutionException}.
	 * @param name the threads' name, numbered
	 * @param threads the most threads at once
	 * @param queued the most tasks waiting for a thread
	 * @return a new pool; shut it down when done
	 */
	public static ThreadPoolExecutor boundedPool(String name, int threads, int queued) {
		return pool(name, threads, new ArrayBlockingQueue<>(queued));
	}

	private static ThreadPoolExecutor pool(String name, int threads, BlockingQueue<Runnable> queue) {
		ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS, queue, factory(name));
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

	/**
	 * Returns a scheduler on one daemon thread.
	 * @param name the thread's name
	 * @return a new scheduler; shut it down when done
	 */
	public static ScheduledExecutorService scheduler(String name) {
		return Executors.newSingleThreadScheduledExecutor(factory(name));
	}

	private static ThreadFactory factory(String name) {
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
