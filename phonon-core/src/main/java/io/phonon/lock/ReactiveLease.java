package io.phonon.lock;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The reactive counterpart of {@link Lease#current()}: the lease of the innermost section
 * guarded by {@link ReactiveLockService} (or by {@code @Locked} on a reactive method)
 * whose pipeline the caller runs in, read from the subscription's
 * {@link reactor.util.context.Context}.
 */
public final class ReactiveLease {

	private ReactiveLease() {
	}

	/**
	 * The lease of the section this pipeline runs in.
	 * @return the lease, or empty outside a guarded section
	 */
	public static Mono<Lease> current() {
		return Mono.deferContextual((context) -> Mono.justOrEmpty(current(context)));
	}

	/**
	 * The lease of the section this context belongs to, for code that has the context at
	 * hand (an operator's {@code contextView}, a coroutine's Reactor context).
	 * @param context the subscription's context
	 * @return the lease, or null outside a guarded section
	 */
	public static @Nullable Lease current(ContextView context) {
		Held held = context.getOrDefault(Held.class, null);
		return (held != null) ? held.lease : null;
	}

	/** The lease this context's sections hold for {@code id} on {@code backend}. */
	static @Nullable HeldLease holding(ContextView context, LockBackend backend, String id) {
		for (Held held = context.getOrDefault(Held.class, null); held != null; held = held.outer) {
			HeldLease root = held.lease.root();
			if (root.joins(backend, id)) {
				return root;
			}
		}
		return null;
	}

	/**
	 * The context of a section holding {@code lease}, inside the sections of
	 * {@code context}.
	 */
	static Context holding(Context context, ScopedLease lease) {
		return context.put(Held.class, new Held(lease, context.getOrDefault(Held.class, null)));
	}

	/** A section's lease and the sections it is nested in. */
	private record Held(ScopedLease lease, @Nullable Held outer) {
	}

}
