package io.phonon.atom;

import java.lang.reflect.Type;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.phonon.JsonCodec;
import io.phonon.atom.AtomBackend.Outcome;
import io.phonon.atom.AtomBackend.Versioned;
import org.jspecify.annotations.Nullable;

/**
 * A shared atom over an {@link AtomBackend}: Clojure's loop (read, apply, validate,
 * compare-and-set) with the engine's version as the thing compared, and a refused attempt
 * bringing the current value for the next one. Watches are fed by the {@link WatchFeed}.
 *
 * @param <T> the values' type
 */
class DefaultSharedAtom<T> implements SharedAtom<T> {

	private final String name;

	private final Type type;

	private final AtomBackend backend;

	private final JsonCodec codec;

	private final String encodedInitial;

	private final WatchFeed feed;

	private final Watches<T> watches = new Watches<>(this);

	private final @Nullable Timer swaps;

	private final io.micrometer.core.instrument.@Nullable Counter retries;

	private volatile @Nullable Predicate<? super @Nullable T> validator;

	/**
	 * The version and value this process last saw: a swap starts from it, so an
	 * uncontended swap is one round trip (a stale one is refused and answers the current
	 * value).
	 */
	private volatile @Nullable Versioned lastSeen;

	DefaultSharedAtom(String name, Type type, @Nullable T initial, AtomBackend backend, JsonCodec codec, WatchFeed feed,
			@Nullable MeterRegistry meterRegistry) {
		this.name = name;
		this.type = type;
		this.backend = backend;
		this.codec = codec;
		this.encodedInitial = codec.encode(initial);
		this.feed = feed;
		this.swaps = (meterRegistry != null) ? Timer.builder("phonon.atom.swap")
			.description("Changes of a shared atom (swap, reset, compare-and-set), retries included")
			.tag("name", name)
			.register(meterRegistry) : null;
		this.retries = (meterRegistry != null) ? io.micrometer.core.instrument.Counter.builder("phonon.atom.retries")
			.description("Attempts to change a shared atom that another change beat")
			.tag("name", name)
			.register(meterRegistry) : null;
	}

	@Override
	public String name() {
		return this.name;
	}

	Type type() {
		return this.type;
	}

	@Override
	public @Nullable T get() {
		return decode(read().value());
	}

	@Override
	public @Nullable T swap(UnaryOperator<@Nullable T> function) {
		return swapVals(function).newValue();
	}

	@Override
	public Change<T> swapVals(UnaryOperator<@Nullable T> function) {
		long start = System.nanoTime();
		Predicate<? super @Nullable T> validator = this.validator;
		Versioned seen = this.lastSeen;
		Versioned current = (seen != null) ? seen : read();
		while (true) {
			T old = decode(current.value());
			T next = function.apply(old);
			Validators.check(validator, next);
			Outcome outcome = this.backend.compareAndSet(this.name, current.version(), this.codec.encode(next));
			this.lastSeen = outcome.current();
			if (outcome.set()) {
				if (this.swaps != null) {
					this.swaps.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
				}
				return new Change<>(old, next);
			}
			if (this.retries != null) {
				this.retries.increment();
			}
			current = nextAttempt(outcome);
		}
	}

	@Override
	public @Nullable T reset(@Nullable T value) {
		return resetVals(value).newValue();
	}

	@Override
	public Change<T> resetVals(@Nullable T value) {
		UnaryOperator<@Nullable T> toValue = (ignored) -> value;
		return swapVals(toValue);
	}

	@Override
	public boolean compareAndSet(@Nullable T expected, @Nullable T newValue) {
		Validators.check(this.validator, newValue);
		String encoded = this.codec.encode(newValue);
		Versioned current = read();
		while (Objects.equals(decode(current.value()), expected)) {
			Outcome outcome = this.backend.compareAndSet(this.name, current.version(), encoded);
			this.lastSeen = outcome.current();
			if (outcome.set()) {
				return true;
			}
			// Changed meanwhile: it may have been changed back to an equal value.
			current = nextAttempt(outcome);
		}
		return false;
	}

	@Override
	public void addWatch(Object key, Watch<T> watch) {
		this.watches.add(key, watch);
		this.feed.follow(this);
	}

	@Override
	public void removeWatch(Object key) {
		this.watches.remove(key);
	}

	@Override
	public void setValidator(@Nullable Predicate<? super @Nullable T> validator) {
		Validators.check(validator, get());
		this.validator = validator;
	}

	/**
	 * What a refused change tries next: the current value, or the initial one if the
	 * engine lost the atom.
	 */
	private Versioned nextAttempt(Outcome refused) {
		return (refused.current().version() == AtomBackend.MISSING.version()) ? read() : refused.current();
	}

	Versioned read() {
		Versioned current = this.backend.read(this.name, this.encodedInitial);
		this.lastSeen = current;
		return current;
	}

	/** Returns the version this process last saw; 0 before its first read. */
	long lastSeenVersion() {
		Versioned seen = this.lastSeen;
		return (seen != null) ? seen.version() : 0;
	}

	Watches<T> watches() {
		return this.watches;
	}

	@SuppressWarnings("unchecked")
	@Nullable T decode(String encoded) {
		return (T) this.codec.decode(encoded, this.type);
	}

	@Override
	public String toString() {
		return "SharedAtom[" + this.name + ", " + this.type.getTypeName() + "]";
	}

}
