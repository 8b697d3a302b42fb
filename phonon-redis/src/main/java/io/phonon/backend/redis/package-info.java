/**
 * The {@code redis} backend: coordination across a cluster of processes through Redis
 * 6.2+, over the application's Spring Data Redis {@code RedisConnectionFactory}. Every
 * state change is one Lua script, so one round trip and atomic; time is Redis's clock
 * ({@code PX}, {@code PTTL}).
 */
@NullMarked
package io.phonon.backend.redis;

import org.jspecify.annotations.NullMarked;
