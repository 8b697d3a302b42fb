/**
 * Atoms (Clojure, atomos): {@link io.phonon.atom.Atom} for one process, and
 * {@link io.phonon.atom.Atoms} for atoms and counters shared by every process on a
 * backend, through the {@link io.phonon.atom.AtomBackend} SPI.
 */
@NullMarked
package io.phonon.atom;

import org.jspecify.annotations.NullMarked;
