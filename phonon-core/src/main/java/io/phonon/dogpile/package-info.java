/**
 * Dogpile protection: one caller regenerates an expired value while every other caller
 * keeps getting the old one, across the cluster on shared backends.
 * {@link io.phonon.dogpile.Dogpiles}, {@link io.phonon.dogpile.DogpileCache},
 * {@link io.phonon.dogpile.DogpileOptions}, and the
 * {@link io.phonon.dogpile.DogpileStore} SPI that each engine implements.
 */
@NullMarked
package io.phonon.dogpile;

import org.jspecify.annotations.NullMarked;
