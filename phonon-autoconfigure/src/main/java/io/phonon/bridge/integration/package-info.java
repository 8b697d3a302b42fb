/**
 * Spring Integration on Phonon: a
 * {@link org.springframework.integration.support.locks.LockRegistry} over the
 * {@link io.phonon.lock.LockService}, for the lock-based components (aggregators, leader
 * initiators, {@code executeLocked}) to run on Phonon's backends.
 */
@NullMarked
package io.phonon.bridge.integration;

import org.jspecify.annotations.NullMarked;
