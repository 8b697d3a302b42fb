/**
 * The {@code file} backend (lockbydir): coordination between processes on one host
 * through a directory on a local file system. Each lock is a directory with its lease
 * recorded inside.
 */
@NullMarked
package io.phonon.backend.file;

import org.jspecify.annotations.NullMarked;
