package io.phonon.channel;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * A Go-style channel between threads: buffered, rendezvous or unlimited
 * ({@link Channels}). Values are never {@code null}. Blocking calls park without pinning
 * virtual threads and honour interrupts. Iterating takes values until the channel is
 * closed and drained.
 *
 * @param <T> the values' type
 */
public interface Channel<T> extends Iterable<T> {

	/**
	 * Sends a value, waiting for room in the buffer (or, on a rendezvous channel, for a
	 * receiver).
	 * @param value the value
	 * @throws InterruptedException if interrupted while waiting; the value was not sent
	 * @throws ChannelClosedException if the channel is closed or failed
	 */
	void put(T value) throws InterruptedException;

	/**
	 * Receives a value, waiting for one.
	 * @return the value
	 * @throws InterruptedException if interrupted while waiting
	 * @throws ChannelClosedException once the channel is closed and every value sent
	 * before was received, or at once when it failed (the exception's cause is the error)
	 */
	T get() throws InterruptedException;

	/**
	 * Receives a value, waiting at most {@code timeout}.
	 * @param timeout how long to wait
	 * @return the value, or {@code null} if none came in time
	 * @throws InterruptedException if interrupted while waiting
	 * @throws ChannelClosedException as {@link #get()}
	 */
	@Nullable T get(Duration timeout) throws InterruptedException;

	/**
	 * Sends a value if that needs no waiting.
	 * @param value the value
	 * @return whether it was sent
	 * @throws ChannelClosedException if the channel is closed or failed
	 */
	boolean tryPut(T value);

	/**
	 * Receives a value if one is ready.
	 * @return the value, or {@code null} if none is ready
	 * @throws ChannelClosedException as {@link #get()}
	 */
	@Nullable T tryGet();

	/**
	 * Closes the channel: it takes no more values; those sent already are still
	 * delivered, then receivers get {@link ChannelClosedException}. Parked senders get it
	 * at once. Closing again does nothing. On the caller's end of a coroutine's channel
	 * ({@link Coroutines}), closing ends the coroutine: both ways close, and a body
	 * parked in {@code put} or {@code get} wakes.
	 */
	void close();

	/**
	 * Fails the channel: values not yet received are dropped, and every parked and later
	 * receiver and sender gets a {@link ChannelClosedException} whose cause is
	 * {@code cause}. On the caller's end of a coroutine's channel, both ways fail.
	 * @param cause the error
	 */
	void error(Throwable cause);

	/**
	 * Returns whether the channel still takes values: neither closed nor failed. On a
	 * coroutine's channel (spool's {@code alive()}): whether this end can still send;
	 * false on both ends once the caller closed or the body ended.
	 * @return whether open
	 */
	boolean isOpen();

	/**
	 * A {@link Select} clause that receives from this channel.
	 * @param <R> the select's result
	 * @param then what the select returns, given the value
	 * @return the clause
	 */
	<R> SelectClause<R> onReceive(Function<? super T, ? extends R> then);

	/**
	 * A {@link Select} clause that sends {@code value} to this channel.
	 * @param <R> the select's result
	 * @param value the value
	 * @param then what the select returns once it is sent
	 * @return the clause
	 */
	<R> SelectClause<R> onSend(T value, Supplier<? extends R> then);

}
