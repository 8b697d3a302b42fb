package io.phonon.channel;

import java.io.Serial;

import org.jspecify.annotations.Nullable;

/**
 * A channel is closed: done (its values all delivered) for a receiver, closed for a
 * sender, or failed, when {@link #getCause()} is the error it carries.
 */
public class ChannelClosedException extends RuntimeException {

	@Serial
	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what happened
	 * @param cause the channel's error, or {@code null} if it was closed normally
	 */
	public ChannelClosedException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

	/**
	 * Returns whether the channel failed ({@link Channel#error}) rather than closed
	 * normally.
	 * @return whether it carries an error
	 */
	public boolean isError() {
		return getCause() != null;
	}

}
