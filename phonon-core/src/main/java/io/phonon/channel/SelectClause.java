package io.phonon.channel;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * One clause of a {@link Select}: made by {@link Channel#onReceive},
 * {@link Channel#onSend}, {@link Select#timeout} and {@link Select#orElse}.
 *
 * @param <R> the select's result
 */
public sealed interface SelectClause<R> permits ReceiveClause, SendClause, TimeoutClause, ElseClause {

}

/** Receives from a channel. */
record ReceiveClause<T, R>(AbstractChannel<T> channel,
		Function<? super T, ? extends R> then) implements SelectClause<R> {

	@SuppressWarnings("unchecked")
	R apply(Object value) {
		return this.then.apply((T) value);
	}

}

/** Sends to a channel. */
record SendClause<T, R>(AbstractChannel<T> channel, T value, Supplier<? extends R> then) implements SelectClause<R> {
}

/** Gives up after a while. */
record TimeoutClause<R>(Duration timeout, Supplier<? extends R> then) implements SelectClause<R> {
}

/** Runs when no other clause is ready at once. */
record ElseClause<R>(Supplier<? extends @Nullable R> then) implements SelectClause<R> {
}
