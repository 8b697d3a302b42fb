/**
 * What Phonon's tests use to reach real engines: {@link io.phonon.testsupport.TestRedis}
 * and {@link io.phonon.testsupport.TestDatabases} (the servers named by
 * {@code PHONON_TEST_*_URL}, or private ones they start),
 * {@link io.phonon.testsupport.WorkerJvm} for tests that run several JVMs, and
 * {@link io.phonon.testsupport.FaultyLockBackend}, a lock engine that fails on demand.
 * The client libraries they use are optional dependencies of this module.
 */
@NullMarked
package io.phonon.testsupport;

import org.jspecify.annotations.NullMarked;
