package io.phonon.backend.memory;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A plain-data table of this JVM, every step on it under one lock: how the memory engines
 * keep the tables that the file engine keeps in files.
 *
 * @param <T> the table
 */
final class LockedTable<T> {

	private final ReentrantLock lock = new ReentrantLock();

	private final T table;

	LockedTable(T table) {
		this.table = table;
	}

	<R> R apply(Function<T, R> step) {
		this.lock.lock();
		try {
			return step.apply(this.table);
		}
		finally {
			this.lock.unlock();
		}
	}

}
