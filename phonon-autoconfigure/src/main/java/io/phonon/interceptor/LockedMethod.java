package io.phonon.interceptor;

import java.util.function.Supplier;

import io.phonon.annotation.OnTimeout;
import io.phonon.lock.LockOptions;
import org.jspecify.annotations.Nullable;

/**
 * A {@code @Locked} method, resolved and checked once: everything a call needs but the
 * key.
 */
record LockedMethod(String name, @Nullable KeyExpression key, LockOptions options, OnTimeout onTimeout,
		Supplier<@Nullable Object> skipValue, boolean interruptOnLeaseLost) {

	String lockId(@Nullable Object[] arguments) {
		return (this.key != null) ? this.name + ':' + this.key.evaluate(arguments) : this.name;
	}

}
