package io.phonon.reference;

/**
 * A resource emptied: its last holder let go (or crashed and was reaped). One delivery
 * per emptying; its handler runs to completion once, or again if the process running it
 * dies first.
 *
 * @param id the delivery's id, unique in the engine
 * @param resource the resource that emptied
 * @param timesModified how often holders marked it modified since it was last empty
 */
public record LastRelease(String id, String resource, long timesModified) {
}
