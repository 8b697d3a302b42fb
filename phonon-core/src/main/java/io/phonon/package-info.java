/**
 * Phonon: coordination primitives for Spring Boot that work across threads, processes and
 * machines. The primitives live in sub-packages; this package holds what they share.
 */
@NullMarked
package io.phonon;

import org.jspecify.annotations.NullMarked;
