package io.phonon.atom;

import java.util.function.UnaryOperator;

import io.micrometer.core.instrument.MeterRegistry;
import io.phonon.JsonCodec;
import org.jspecify.annotations.Nullable;

/** A shared atom of a {@code Long}, starting at 0, with the arithmetic as swaps. */
final class DefaultCounter extends DefaultSharedAtom<Long> implements Counter {

	DefaultCounter(String name, AtomBackend backend, JsonCodec codec, WatchFeed feed,
			@Nullable MeterRegistry meterRegistry) {
		super(name, Long.class, 0L, backend, codec, feed, meterRegistry);
	}

	@Override
	public long incrementAndGet() {
		return addAndGet(1);
	}

	@Override
	public long decrementAndGet() {
		return addAndGet(-1);
	}

	@Override
	public long addAndGet(long delta) {
		UnaryOperator<@Nullable Long> add = (current) -> ((current != null) ? current : 0L) + delta;
		Long value = swap(add);
		return (value != null) ? value : 0L;
	}

	@Override
	public String toString() {
		return "Counter[" + name() + "]";
	}

}
