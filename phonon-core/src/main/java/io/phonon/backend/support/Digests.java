package io.phonon.backend.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of names, as engines key their entries by it: a fixed length whatever
 * characters the name holds.
 */
public final class Digests {

	private Digests() {
	}

	/**
	 * Returns the SHA-256 of a string's UTF-8 bytes.
	 * @param value the string
	 * @return the 32 bytes of the digest
	 */
	public static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
		}
	}

}
