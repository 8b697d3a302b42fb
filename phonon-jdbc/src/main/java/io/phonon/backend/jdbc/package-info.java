/**
 * The {@code jdbc} backend: coordination across a cluster of processes through the
 * application's {@code DataSource}, on PostgreSQL, MariaDB or H2. Every state change is
 * one statement in its own transaction; time is the database's clock.
 */
@NullMarked
package io.phonon.backend.jdbc;

import org.jspecify.annotations.NullMarked;
