/**
 * ShedLock on Phonon: a {@link net.javacrumbs.shedlock.core.LockProvider} over the
 * {@link io.phonon.lock.LockService}, so {@code @SchedulerLock} jobs run on Phonon's
 * backends, with fencing tokens and Phonon's lock meters.
 */
@NullMarked
package io.phonon.bridge.shedlock;

import org.jspecify.annotations.NullMarked;
