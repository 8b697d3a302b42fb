/**
 * Exclusive locks with a lease, patience and fencing tokens:
 * {@link io.phonon.lock.LockService}, {@link io.phonon.lock.Lease}, and the
 * {@link io.phonon.lock.LockBackend} SPI that each engine implements.
 */
@NullMarked
package io.phonon.lock;

import org.jspecify.annotations.NullMarked;
