/**
 * Actuator support: the read-only {@code phonon} endpoint.
 */
@NullMarked
package io.phonon.actuate;

import org.jspecify.annotations.NullMarked;
