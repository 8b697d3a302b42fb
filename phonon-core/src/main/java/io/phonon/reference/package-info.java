/**
 * References (phonon): how many processes use a resource now, how often it was modified,
 * and a callback for the last one out, also when the last holders crashed.
 * {@link io.phonon.reference.References}, {@link io.phonon.reference.Reference}, and the
 * {@link io.phonon.reference.ReferenceBackend} SPI that each engine implements.
 */
@NullMarked
package io.phonon.reference;

import org.jspecify.annotations.NullMarked;
