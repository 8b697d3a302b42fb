package io.phonon.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches the annotated bean method's result with dogpile protection, in the dogpile cache
 * {@link #name()} under the key {@link #key()}:
 * <ol>
 * <li>no value: the first caller runs the method; concurrent callers wait for that one
 * result;</li>
 * <li>a fresh value: returned with no lock and no write;</li>
 * <li>a stale value (older than {@link #expireAfter()}): exactly one caller, in the whole
 * cluster on a shared backend, runs the method; every other caller gets the stale value
 * at once;</li>
 * <li>if that run throws, its caller gets the exception; the stale value stays and is
 * served until {@link #maxStale()} has passed.</li>
 * </ol>
 * Values are kept per process on the memory and file backends and shared through Redis or
 * the database on redis and jdbc, where they are encoded as JSON with the application's
 * Jackson mapper. Like every Spring proxy-based annotation, it applies to calls through
 * the bean.
 *
 * <pre class="code">
 * &#64;Dogpile(name = "reports", key = "#month", expireAfter = "10m", maxStale = "1h")
 * public Report monthly(YearMonth month) { ... }
 * </pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Dogpile {

	/**
	 * The cache's name: the {@code name} tag of the dogpile meters. Methods sharing a
	 * name share its values and must return the same type with the same options. Defaults
	 * to {@code ClassName.method}.
	 * @return the name
	 */
	String name() default "";

	/**
	 * A SpEL expression for the key, as {@link Locked#key()}. Empty: one value for the
	 * method.
	 * @return the key expression
	 */
	String key() default "";

	/**
	 * How long a value is fresh, such as {@code 10m} or a {@code ${property}}
	 * placeholder; after it, one caller regenerates it. Empty:
	 * {@code phonon.dogpile.expire-after}.
	 * @return the freshness
	 */
	String expireAfter() default "";

	/**
	 * How long past its expiry a stale value may still be served while it is regenerated;
	 * past it, callers wait for the new value. Empty: for ever.
	 * @return the stale window
	 */
	String maxStale() default "";

	/**
	 * Whether even the caller that regenerates gets the stale value, the method running
	 * in the background.
	 * @return whether regeneration is asynchronous
	 */
	boolean async() default false;

	/**
	 * XFetch's beta (Vattani, Chierichetti and Lowenstein, VLDB 2015): above zero, a
	 * caller regenerates a still fresh value early, with a probability that grows as
	 * expiry nears and with how long the last regeneration took, so that under steady
	 * load callers rarely see a stale value. 1 is the paper's choice; 0 turns it off.
	 * @return beta
	 */
	double beta() default 0.0;

}
