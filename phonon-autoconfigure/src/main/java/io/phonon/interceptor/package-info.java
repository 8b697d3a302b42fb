/**
 * Internal: the advisors and interceptors behind Phonon's annotations, and the SpEL key
 * and duration parsing they share. Not for direct use.
 */
@NullMarked
package io.phonon.interceptor;

import org.jspecify.annotations.NullMarked;
