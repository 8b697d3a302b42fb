/**
 * Go-style channels (spool): {@link io.phonon.channel.Channel} (buffered, rendezvous,
 * unlimited), {@link io.phonon.channel.Select} over several channels, and the coroutines
 * of {@code @AsyncChannel} methods ({@link io.phonon.channel.Channels#self()}).
 */
@NullMarked
package io.phonon.channel;

import org.jspecify.annotations.NullMarked;
