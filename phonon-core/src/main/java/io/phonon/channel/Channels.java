package io.phonon.channel;

import org.jspecify.annotations.Nullable;

/**
 * Makes channels, and gives an {@code @AsyncChannel} body its end of the channel it
 * shares with its caller.
 */
public final class Channels {

	private static final ThreadLocal<@Nullable Channel<?>> self = new ThreadLocal<>();

	private Channels() {
	}

	/**
	 * A channel with room for {@code capacity} values: senders wait only when it is full.
	 * @param <T> the values' type
	 * @param capacity the room, at least 1
	 * @return the channel
	 */
	public static <T> Channel<T> buffered(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("A buffered channel needs a capacity of at least 1, was " + capacity
					+ "; use rendezvous() for none");
		}
		return AbstractChannel.of(capacity);
	}

	/**
	 * A channel without room: a sender waits until a receiver takes its value.
	 * @param <T> the values' type
	 * @return the channel
	 */
	public static <T> Channel<T> rendezvous() {
		return AbstractChannel.of(0);
	}

	/**
	 * A channel whose senders never wait (mind memory: nothing holds a fast sender back).
	 * @param <T> the values' type
	 * @return the channel
	 */
	public static <T> Channel<T> unlimited() {
		return AbstractChannel.of(Integer.MAX_VALUE);
	}

	/**
	 * Inside an {@code @AsyncChannel} method's body: its end of the channel the caller
	 * got (spool's {@code coroutine.self()}). What the body puts, the caller gets, and
	 * the reverse.
	 * @param <T> the values' type
	 * @return the body's end
	 * @throws IllegalStateException outside an {@code @AsyncChannel} body
	 */
	@SuppressWarnings("unchecked")
	public static <T> Channel<T> self() {
		Channel<?> channel = self.get();
		if (channel == null) {
			throw new IllegalStateException(
					"Channels.self() is the channel of an @AsyncChannel method's body, and" + " this thread runs none");
		}
		return (Channel<T>) channel;
	}

	/** Runs a coroutine's body with {@link #self()} set to its end. */
	static <T> void runAs(Channel<T> end, Coroutines.Body<T> body) throws Exception {
		self.set(end);
		try {
			body.run(end);
		}
		finally {
			self.remove();
		}
	}

}
