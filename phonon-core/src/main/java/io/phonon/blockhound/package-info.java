/**
 * Phonon's integration with BlockHound, which finds blocking calls on non-blocking
 * threads: loaded by BlockHound where it is installed, not an API.
 */
@NullMarked
package io.phonon.blockhound;

import org.jspecify.annotations.NullMarked;
