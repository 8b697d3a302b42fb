package io.phonon.channel;

import java.time.Duration;
import java.util.Iterator;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * One end of a coroutine's channel (spool's two queues): this end receives from
 * {@code incoming} and sends to {@code outgoing}; the other end is the same two channels
 * the other way round.
 * <p>
 * The ends differ in what closing does. The body's end closes what the body sends (a
 * generator closes when it is done, and can still read). The caller's end is the
 * coroutine's handle, as in spool: closing or failing it ends the coroutine, both ways,
 * so a body parked in {@code put} or {@code get} wakes with
 * {@link ChannelClosedException} and its thread is freed. When the body ends, both ways
 * are closed too, so a caller never waits for a body that is gone.
 *
 * @param <T> the values' type
 */
final class DuplexChannel<T> implements Channel<T> {

	private final AbstractChannel<T> incoming;

	private final AbstractChannel<T> outgoing;

	/** Whether this is the caller's end, whose close ends the coroutine. */
	private final boolean caller;

	private DuplexChannel(AbstractChannel<T> incoming, AbstractChannel<T> outgoing, boolean caller) {
		this.incoming = incoming;
		this.outgoing = outgoing;
		this.caller = caller;
	}

	/** The caller's end of a new coroutine channel with {@code capacity} each way. */
	static <T> DuplexChannel<T> forCaller(int capacity) {
		return new DuplexChannel<>(AbstractChannel.of(capacity), AbstractChannel.of(capacity), true);
	}

	/** The body's end of the caller's channel. */
	DuplexChannel<T> body() {
		return new DuplexChannel<>(this.outgoing, this.incoming, false);
	}

	/**
	 * The body has returned ({@code cause} {@code null}) or thrown: the caller receives
	 * what was sent, then the end (or the error), and can send nothing more.
	 */
	void bodyEnded(@Nullable Throwable cause) {
		if (cause != null) {
			this.outgoing.error(cause); // nothing if the body closed its end before it
										// threw
		}
		else {
			this.outgoing.close();
		}
		this.incoming.close();
	}

	/**
	 * Whether the caller closed or failed the coroutine (on the body's end: the caller's
	 * way in).
	 */
	boolean endedByCaller() {
		return !this.incoming.isOpen();
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
		if (this.caller) {
			this.incoming.close();
		}
	}

	@Override
	public void error(Throwable cause) {
		this.outgoing.error(cause);
		if (this.caller) {
			this.incoming.error(cause);
		}
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
