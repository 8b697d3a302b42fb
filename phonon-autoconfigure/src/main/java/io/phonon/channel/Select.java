package io.phonon.channel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Waits on several channels at once, Go's {@code select}:
 *
 * <pre class="code">
 * String what = Select.select(
 *         prices.onReceive((price) -> "price " + price),
 *         orders.onSend(order, () -> "order sent"),
 *         Select.timeout(Duration.ofSeconds(1), () -> "nothing for a second"));
 * </pre>
 *
 * Among the clauses ready at once, one is chosen at random (fair, as Go's; not biased to the
 * first). With an {@link #orElse} clause the select never waits. A receive clause on a channel
 * that is done, or a send clause on a closed one, ends the select with
 * {@link ChannelClosedException}. spool's form, {@link #any}, receives from whichever channel has
 * a value.
 */
public final class Select {

	private Select() {
	}

	/**
	 * Runs one ready clause, waiting until one is.
	 * @param <R> the result
	 * @param clauses receive and send clauses, at most one timeout and at most one else
	 * @return what the chosen clause returns
	 * @throws InterruptedException if interrupted while waiting
	 * @throws ChannelClosedException if the chosen channel is done or closed
	 */
	@SafeVarargs
	public static <R> @Nullable R select(SelectClause<? extends R>... clauses) throws InterruptedException {
		List<SelectClause<? extends R>> operations = new ArrayList<>();
		TimeoutClause<? extends R> timeout = null;
		ElseClause<? extends R> orElse = null;
		for (SelectClause<? extends R> clause : clauses) {
			Objects.requireNonNull(clause, "clause");
			if (clause instanceof TimeoutClause<? extends R> t) {
				if (timeout != null) {
					throw new IllegalArgumentException("A select takes at most one timeout clause");
				}
				timeout = t;
			}
			else if (clause instanceof ElseClause<? extends R> e) {
				if (orElse != null) {
					throw new IllegalArgumentException("A select takes at most one orElse clause");
				}
				orElse = e;
			}
			else {
				operations.add(clause);
			}
		}
		if (operations.isEmpty() && orElse == null && timeout == null) {
			throw new IllegalArgumentException("A select needs at least one clause");
		}
		return run(operations, timeout, orElse);
	}

	/**
	 * A clause that ends the select after {@code timeout} if no other clause was ready.
	 * @param <R> the result
	 * @param timeout how long to wait
	 * @param then what the select returns then
	 * @return the clause
	 */
	public static <R> SelectClause<R> timeout(Duration timeout, Supplier<? extends R> then) {
		return new TimeoutClause<>(timeout, then);
	}

	/**
	 * A clause that runs when no other clause is ready at once: the select does not wait.
	 * @param <R> the result
	 * @param then what the select returns then
	 * @return the clause
	 */
	public static <R> SelectClause<R> orElse(Supplier<? extends @Nullable R> then) {
		return new ElseClause<>(then);
	}

	/**
	 * spool's {@code select(ch1, ch2, ...)}: receives from whichever channel has a value, skipping
	 * channels that are done.
	 * @param <T> the values' type
	 * @param channels the channels
	 * @return the channel and its value
	 * @throws InterruptedException if interrupted while waiting
	 * @throws ChannelClosedException once every channel is done, or when one failed
	 */
	@SafeVarargs
	public static <T> Received<T> any(Channel<? extends T>... channels) throws InterruptedException {
		List<Channel<? extends T>> open = new ArrayList<>(Arrays.asList(channels));
		while (!open.isEmpty()) {
			List<SelectClause<Received<T>>> clauses = new ArrayList<>();
			for (Channel<? extends T> channel : open) {
				clauses.add(channel.onReceive((value) -> new Received<T>(channel, value)));
			}
			try {
				return Objects.requireNonNull(run(clauses, null, null));
			}
			catch (ChannelClosedException ex) {
				if (ex.isError()) {
					throw ex;
				}
				open.removeIf((channel) -> ((DefaultChannel<?>) channel).isDone());
			}
		}
		throw new ChannelClosedException("Every channel is closed and all their values were delivered", null);
	}

	/**
	 * A value received by {@link #any}, and the channel it came from.
	 * @param <T> the values' type
	 * @param channel the channel
	 * @param value the value
	 */
	public record Received<T>(Channel<? extends T> channel, T value) {
	}

	private static <R> @Nullable R run(List<? extends SelectClause<? extends R>> operations,
			@Nullable TimeoutClause<? extends R> timeout, @Nullable ElseClause<? extends R> orElse)
			throws InterruptedException {
		DefaultChannel<?>[] channels = lockOrder(operations);
		int start = operations.isEmpty() ? 0 : ThreadLocalRandom.current().nextInt(operations.size());
		Waiter waiter = null;
		DefaultChannel.Node[] nodes = new DefaultChannel.Node[operations.size()];
		int ready = -1;
		Object received = null;
		for (DefaultChannel<?> channel : channels) {
			channel.lock();
		}
		try {
			// The clauses ready now, tried from a random one: fair among them, as Go's select.
			for (int i = 0; i < operations.size() && ready < 0; i++) {
				int index = (start + i) % operations.size();
				SelectClause<? extends R> clause = operations.get(index);
				if (clause instanceof ReceiveClause<?, ? extends R> receive) {
					received = receive.channel().poll();
					if (received != DefaultChannel.EMPTY) {
						ready = index;
					}
				}
				else if (((SendClause<?, ? extends R>) clause).offer()) {
					ready = index;
				}
			}
			if (ready < 0 && orElse == null) {
				waiter = new Waiter(Thread.currentThread());
				for (int i = 0; i < operations.size(); i++) {
					SelectClause<? extends R> clause = operations.get(i);
					nodes[i] = (clause instanceof SendClause<?, ? extends R> send)
							? new DefaultChannel.Node(waiter, i, send.value()) : new DefaultChannel.Node(waiter, i, null);
					channel(clause).enqueue(nodes[i]);
				}
			}
		}
		finally {
			for (int i = channels.length - 1; i >= 0; i--) {
				channels[i].unlock();
			}
		}
		// The chosen clause's function runs here, holding no channel's lock.
		if (ready >= 0) {
			return outcome(operations.get(ready), received);
		}
		if (waiter == null) {
			return Objects.requireNonNull(orElse).then().get();
		}
		boolean completed;
		try {
			completed = waiter.await((timeout != null) ? System.nanoTime() + timeout.timeout().toNanos() | 1 : 0,
					Waiter.SELECT_SPINS);
		}
		finally {
			for (int i = 0; i < nodes.length; i++) {
				channel(operations.get(i)).unregister(nodes[i]);
			}
		}
		if (!completed) {
			return Objects.requireNonNull(timeout).then().get();
		}
		Object result = waiter.result();
		if (result instanceof DefaultChannel.Failure failure) {
			throw failure.exception();
		}
		return outcome(operations.get(waiter.clause()), result);
	}

	private static <R> R outcome(SelectClause<? extends R> chosen, @Nullable Object received) {
		if (chosen instanceof ReceiveClause<?, ? extends R> receive) {
			return receive.apply(Objects.requireNonNull(received));
		}
		return ((SendClause<?, ? extends R>) chosen).then().get();
	}

	/** The clauses' channels, each once, in the global order their locks are taken in. */
	private static DefaultChannel<?>[] lockOrder(List<? extends SelectClause<?>> operations) {
		DefaultChannel<?>[] channels = new DefaultChannel<?>[operations.size()];
		int count = 0;
		for (SelectClause<?> clause : operations) {
			DefaultChannel<?> channel = channel(clause);
			int at = count;
			while (at > 0 && channels[at - 1].id() > channel.id()) {
				at--;
			}
			if (at > 0 && channels[at - 1] == channel) {
				continue;
			}
			System.arraycopy(channels, at, channels, at + 1, count - at);
			channels[at] = channel;
			count++;
		}
		return (count == channels.length) ? channels : Arrays.copyOf(channels, count);
	}

	private static DefaultChannel<?> channel(SelectClause<?> clause) {
		return (clause instanceof ReceiveClause<?, ?> receive) ? receive.channel() : ((SendClause<?, ?>) clause).channel();
	}

}
