/**
 * The sample application: a record enrichment API whose writes are serialized per record
 * by {@code @Locked}, and a scheduled report that runs once per tick however many
 * instances run.
 */
@NullMarked
package io.phonon.sample;

import org.jspecify.annotations.NullMarked;
