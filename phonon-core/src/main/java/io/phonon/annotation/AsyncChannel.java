package io.phonon.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated bean method as a coroutine (spool's {@code @coroutine}): the caller
 * gets a {@link io.phonon.channel.Channel} at once, and the body runs on the
 * application's task executor (virtual threads when
 * {@code spring.threads.virtual.enabled=true}). Inside the body,
 * {@link io.phonon.channel.Channels#self()} is the other end of that channel: what the
 * body puts, the caller gets, and the reverse. When the body returns, the channel is
 * closed (the caller still gets every value sent); when it throws, the channel carries
 * the error to the caller. The method must return {@code Channel<T>}; what the body
 * returns is ignored ({@code return Channels.self();} reads well).
 *
 * <pre class="code">
 * &#64;AsyncChannel
 * public Channel&lt;Long&gt; fibonacci(int count) throws InterruptedException {
 *     Channel&lt;Long&gt; out = Channels.self();
 *     for (long a = 0, b = 1, i = 0; i &lt; count; i++, b = a + (a = b)) {
 *         out.put(a);
 *     }
 *     return out;
 * }
 * </pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface AsyncChannel {

	/**
	 * How many values the channel holds each way before a sender waits: 0 for a
	 * rendezvous, -1 for no limit.
	 * @return the capacity
	 */
	int capacity() default 16;

}
