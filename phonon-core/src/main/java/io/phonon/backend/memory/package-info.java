/**
 * The {@code memory} backend: coordination within one JVM, the default. Nothing leaves
 * the process; time is the JVM's monotonic clock.
 */
@NullMarked
package io.phonon.backend.memory;

import org.jspecify.annotations.NullMarked;
