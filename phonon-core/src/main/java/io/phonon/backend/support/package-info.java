/**
 * For engine authors: the parts an engine may build on, apart from the primitives' public
 * API. {@link io.phonon.backend.support.ReferenceTableBackend} and
 * {@link io.phonon.backend.support.AtomTableBackend} turn a store that can run one step
 * over a whole table ({@link io.phonon.backend.support.ReferenceTable},
 * {@link io.phonon.backend.support.AtomTable}, written with
 * {@link io.phonon.backend.support.TableData}) into a reference or atom engine;
 * {@link io.phonon.backend.support.ReleaseSignals} wakes the waiters of a lock engine in
 * this JVM; {@link io.phonon.backend.support.ForwardingLockBackend} is the base of a lock
 * engine's decorator; {@link io.phonon.backend.support.Digests} hashes names into keys.
 * Applications do not use this package; {@code docs/engines.md} says how to write an
 * engine.
 */
@NullMarked
package io.phonon.backend.support;

import org.jspecify.annotations.NullMarked;
