/**
 * Auto-configuration of Phonon: {@link io.phonon.autoconfigure.PhononAutoConfiguration}
 * and the {@code phonon.*} properties.
 */
@NullMarked
package io.phonon.autoconfigure;

import org.jspecify.annotations.NullMarked;
