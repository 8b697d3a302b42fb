/**
 * The engines Phonon runs on, one sub-package each, each implementing the SPIs of the
 * primitives ({@link io.phonon.lock.LockBackend} and the others).
 */
@NullMarked
package io.phonon.backend;

import org.jspecify.annotations.NullMarked;
