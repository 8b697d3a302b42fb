/**
 * The annotations users put on bean methods: {@link io.phonon.annotation.Locked} and its
 * {@link io.phonon.annotation.OnTimeout} policy.
 */
@NullMarked
package io.phonon.annotation;

import org.jspecify.annotations.NullMarked;
