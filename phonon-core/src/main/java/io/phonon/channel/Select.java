package io.phonon.channel;

import java.time.Duration;
import java.util.ArrayList;
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
 * Among the clauses ready when the select looks, one is chosen uniformly at random,
 * wherever they stand (fair, as Go's; not biased to the first). It works on every channel
 * the library hands out, both ends of a coroutine's channel included. With an
 * {@link #orElse} clause the select never waits. A receive clause on a channel that is
 * done, or a send clause on a closed one, ends the select with
 * {@link ChannelClosedException}. spool's form, {@link #any}, receives from whichever
 * channel has a value.
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
	 * spool's {@code select(ch1, ch2, ...)}: receives from whichever channel has a value,
	 * skipping channels that are done.
	 * @param <T> the values' type
	 * @param channels the channels
	 * @return the channel and its value
	 * @throws InterruptedException if interrupted while waiting
	 * @throws ChannelClosedException once every channel is done, or when one failed
	 */
	@SafeVarargs
	public static <T> Received<T> any(Channel<? extends T>... channels) throws InterruptedException {
		List<ReceiveClause<?, Received<T>>> open = new ArrayList<>(channels.length);
		for (Channel<? extends T> channel : channels) {
			SelectClause<Received<T>> clause = channel.onReceive((value) -> new Received<T>(channel, value));
			if (!(clause instanceof ReceiveClause<?, Received<T>> receive)) {
				throw new IllegalArgumentException(channel + ".onReceive made " + clause
						+ ", not a receive clause: make it delegate to a channel from Channels");
			}
			open.add(receive);
		}
		while (!open.isEmpty()) {
			try {
				return Objects.requireNonNull(run(open, null, null));
			}
			catch (ChannelClosedException ex) {
				if (ex.isError()) {
					throw ex;
				}
				open.removeIf((clause) -> clause.channel().isDone());
			}
		}
		throw new ChannelClosedException("Every channel is closed and all their values were delivered", null);
	}

	/**
	 * A value received by {@link #any}, and the channel it came from.
	 *
	 * @param <T> the values' type
	 * @param channel the channel
	 * @param value the value
	 */
	public record Received<T>(Channel<? extends T> channel, T value) {
	}

	/**
	 * First the clauses ready now: one is chosen uniformly among them, whatever their
	 * order, as Go does, and a race lost to another thread looks again. If none is ready,
	 * the select queues one node per clause, from a random clause on, and parks: a clause
	 * that becomes ready while it registers, or the first partner to come after, wins.
	 */
	private static <R> @Nullable R run(List<? extends SelectClause<? extends R>> operations,
			@Nullable TimeoutClause<? extends R> timeout, @Nullable ElseClause<? extends R> orElse)
			throws InterruptedException {
		int count = operations.size();
		for (;;) {
			int chosen = -1;
			int ready = 0;
			for (int i = 0; i < count; i++) {
				SelectClause<? extends R> clause = operations.get(i);
				if (channel(clause).ready(clause instanceof SendClause)
						&& (++ready == 1 || ThreadLocalRandom.current().nextInt(ready) == 0)) {
					chosen = i;
				}
			}
			if (chosen < 0) {
				break;
			}
			SelectClause<? extends R> clause = operations.get(chosen);
			Object outcome = channel(clause).exchange(sent(clause), null, false);
			if (outcome != AbstractChannel.EMPTY) {
				return outcome(clause, outcome);
			}
		}
		if (orElse != null) {
			return orElse.then().get();
		}
		Waiter waiter = new Waiter(Thread.currentThread());
		Node[] nodes = new Node[count];
		boolean completed;
		try {
			int start = (count == 0) ? 0 : ThreadLocalRandom.current().nextInt(count);
			for (int k = 0; k < count && waiter.isLive(); k++) {
				int i = (start + k) % count;
				SelectClause<? extends R> clause = operations.get(i);
				Node node = new Node(waiter, i, sent(clause));
				Object outcome = channel(clause).exchange(node.value, node, true);
				if (outcome == node) {
					nodes[i] = node;
				}
				else {
					if (outcome != AbstractChannel.DECIDED) {
						waiter.complete(i, outcome);
					}
					break;
				}
			}
			completed = waiter.await((timeout != null) ? System.nanoTime() + timeout.timeout().toNanos() | 1 : 0,
					Waiter.SELECT_SPINS);
		}
		finally {
			for (int i = 0; i < count; i++) {
				if (nodes[i] != null) {
					channel(operations.get(i)).unregister(nodes[i]);
				}
			}
		}
		if (!completed) {
			return Objects.requireNonNull(timeout).then().get();
		}
		return outcome(operations.get(waiter.clause()), Objects.requireNonNull(waiter.result()));
	}

	private static <R> R outcome(SelectClause<? extends R> chosen, Object outcome) {
		if (outcome instanceof AbstractChannel.Failure failure) {
			throw failure.exception();
		}
		if (chosen instanceof ReceiveClause<?, ? extends R> receive) {
			return receive.apply(outcome);
		}
		return ((SendClause<?, ? extends R>) chosen).then().get();
	}

	private static @Nullable Object sent(SelectClause<?> clause) {
		return (clause instanceof SendClause<?, ?> send) ? send.value() : null;
	}

	private static AbstractChannel<?> channel(SelectClause<?> clause) {
		return (clause instanceof ReceiveClause<?, ?> receive) ? receive.channel()
				: ((SendClause<?, ?>) clause).channel();
	}

}
