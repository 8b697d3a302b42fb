package io.phonon.autoconfigure;

import java.util.function.Supplier;

import io.phonon.atom.AtomBackend;
import io.phonon.dogpile.DogpileStore;
import io.phonon.lock.LockBackend;
import io.phonon.reference.ReferenceBackend;

/**
 * The engines of the backend that {@code phonon.backend} chose, each made when its bean
 * is: one engine configuration class per backend contributes this, and
 * {@link PhononAutoConfiguration} makes the four engine beans from it, unless the
 * application defines them.
 *
 * @param name the backend's name, as in {@code phonon.backend}
 * @param locks makes the lock engine
 * @param references makes the reference engine
 * @param dogpiles makes the dogpile store
 * @param atoms makes the shared-atom engine
 */
record PhononEngine(String name, Supplier<LockBackend> locks, Supplier<ReferenceBackend> references,
		Supplier<DogpileStore<?>> dogpiles, Supplier<AtomBackend> atoms) {

}
