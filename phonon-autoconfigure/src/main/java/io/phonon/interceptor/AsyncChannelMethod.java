package io.phonon.interceptor;

/**
 * An {@code @AsyncChannel} method, resolved and checked once.
 *
 * @param name what its coroutines' Observations call it: {@code Class.method}
 * @param capacity the room of its channel each way
 */
record AsyncChannelMethod(String name, int capacity) {
}
