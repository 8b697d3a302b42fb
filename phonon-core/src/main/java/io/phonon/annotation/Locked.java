package io.phonon.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated bean method holding an exclusive lock, across every thread, process
 * or machine that shares the backend. The lock id is {@code name + ':' + key} (or
 * {@code name} alone when there is no key).
 * <p>
 * While the method runs, the lease is renewed every third of its duration, and
 * {@link io.phonon.lock.Lease#current()} gives the method its lease and fencing token.
 * Calls on the same thread are re-entrant. A method returning a
 * {@link java.util.concurrent.CompletionStage} holds the lock until the stage completes.
 * <p>
 * Like every Spring proxy-based annotation, it applies to calls through the bean, not to
 * calls from the bean to itself.
 *
 * <pre class="code">
 * &#64;Locked(name = "records", key = "#record.id", lease = "30s", waitTime = "5s")
 * public void enrich(Record record) { ... }
 * </pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Locked {

	/**
	 * The logical lock name: part of the lock id and the {@code name} tag of the lock
	 * meters. Keep the set of names bounded. Defaults to {@code ClassName.method}.
	 * @return the name
	 */
	String name() default "";

	/**
	 * A SpEL expression for the key, over the arguments ({@code #name}, {@code #p0},
	 * {@code #a0}) and beans ({@code @bean}). Checked at start-up; a key that evaluates
	 * to {@code null} fails the call. Empty: one lock for the whole method.
	 * @return the key expression
	 */
	String key() default "";

	/**
	 * How long the lock is held before it expires by itself unless renewed (lockbydir's
	 * TIMEOUT), such as {@code 30s}, {@code PT30S}, {@code 500ms} or a
	 * {@code ${property}} placeholder. Empty: {@code phonon.lock.lease}.
	 * @return the lease
	 */
	String lease() default "";

	/**
	 * How long to wait for a lock that another owner holds (lockbydir's PATIENCE), in the
	 * forms of {@link #lease()}. Empty: {@code phonon.lock.wait}.
	 * <p>
	 * Named {@code waitTime} because Java forbids an annotation attribute named
	 * {@code wait} (it would override the final {@code Object.wait()}).
	 * @return the wait
	 */
	String waitTime() default "";

	/**
	 * How long the lock stays held at least, counted from its acquisition, even when the
	 * method returns sooner (ShedLock's {@code lockAtLeastFor}), in the forms of
	 * {@link #lease()}. A scheduled job that runs on several instances needs it when the
	 * job can end before every instance's scheduler has fired for the same tick (clocks
	 * and schedulers drift apart by milliseconds or more): without it, a later instance
	 * finds the lock free and runs that tick again. Set it a little shorter than the
	 * schedule's period. Empty: release when the method ends.
	 * @return the shortest hold
	 */
	String holdAtLeast() default "";

	/**
	 * What to do when the lock stays held for the whole wait.
	 * @return the policy
	 */
	OnTimeout onTimeout() default OnTimeout.THROW;

	/**
	 * What happens to the running method if its lease is lost (renewal refused or too
	 * late, or the application's stop outlasted {@code phonon.shutdown.grace-period}):
	 * keep running (the default: logged and counted in {@code phonon.lock.lost}), or
	 * interrupt the method's thread.
	 * @return the policy
	 */
	OnLeaseLost onLeaseLost() default OnLeaseLost.KEEP_RUNNING;

}
