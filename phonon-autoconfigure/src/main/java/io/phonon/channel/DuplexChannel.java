package io.phonon.channel;

import java.time.Duration;
import java.util.Iterator;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * One end of a coroutine's channel (spool's two queues): this end receives from
 * {@code incoming} and sends to {@code outgoing}; the other end is the same two channels the
 * other way round. Closing an end closes what it sends.
 * @param <T> the values' type
 */
final class DuplexChannel<T> implements Channel<T> {

	private final DefaultChannel<T> incoming;

	private final DefaultChannel<T> outgoing;

	DuplexChannel(DefaultChannel<T> incoming, DefaultChannel<T> outgoing) {
		this.incoming = incoming;
		this.outgoing = outgoing;
	}

	/** The other end. */
	DuplexChannel<T> reversed() {
		return new DuplexChannel<>(this.outgoing, this.incoming);
	}

	@Override
	public void put(T value) throws InterruptedException {
		this.outgoing.put(value);
	}

	@Override
	public T get() throws InterruptedException {
		return this.incoming.get();
	}

	@Override
	public @Nullable T get(Duration timeout) throws InterruptedException {
		return this.incoming.get(timeout);
	}

	@Override
	public boolean tryPut(T value) {
		return this.outgoing.tryPut(value);
	}

	@Override
	public @Nullable T tryGet() {
		return this.incoming.tryGet();
	}

	@Override
	public void close() {
		this.outgoing.close();
	}

	@Override
	public void error(Throwable cause) {
		this.outgoing.error(cause);
	}

	@Override
	public boolean isOpen() {
		return this.outgoing.isOpen();
	}

	@Override
	public <R> SelectClause<R> onReceive(Function<? super T, ? extends R> then) {
		return this.incoming.onReceive(then);
	}

	@Override
	public <R> SelectClause<R> onSend(T value, Supplier<? extends R> then) {
		return this.outgoing.onSend(value, then);
	}

	@Override
	public Iterator<T> iterator() {
		return this.incoming.iterator();
	}

	@Override
	public String toString() {
		return "CoroutineChannel[in " + this.incoming + ", out " + this.outgoing + "]";
	}

}
