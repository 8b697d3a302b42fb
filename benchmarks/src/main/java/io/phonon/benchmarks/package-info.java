/**
 * JMH benchmarks: Phonon side by side with the same work done without it and with the
 * peers.
 */
@NullMarked
package io.phonon.benchmarks;

import org.jspecify.annotations.NullMarked;
