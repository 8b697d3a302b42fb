package io.phonon.interceptor;

import java.util.function.Supplier;

import io.phonon.annotation.OnTimeout;
import io.phonon.lock.LockOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ReactiveAdapter;

/**
 * A {@code @Locked} method, resolved and checked once: everything a call needs but the
 * key.
 *
 * @param reactive the adapter of a method whose work runs when its result is subscribed
 * (a reactive type or a suspend function), which holds the lock for the subscription;
 * null for others
 */
record LockedMethod(String name, @Nullable KeyExpression key, LockOptions options, OnTimeout onTimeout,
		Supplier<@Nullable Object> skipValue, boolean interruptOnLeaseLost, @Nullable ReactiveAdapter reactive) {

	String lockId(@Nullable Object[] arguments) {
		return (this.key != null) ? this.name + ':' + this.key.evaluate(arguments) : this.name;
	}

}
