package io.phonon.backend.file;

import java.util.HexFormat;

import io.phonon.backend.support.Digests;

/**
 * Turns any string into a file name that cannot leave its directory: a readable prefix of
 * safe characters and the SHA-256 of the whole string, so distinct strings never share a
 * name and no key ({@code ../../etc}, {@code /}, NUL, 64 KiB of Unicode) names another
 * path.
 */
final class FileNames {

	private static final String LOCK_SUFFIX = ".lock";

	private static final int READABLE_PREFIX = 40;

	private FileNames() {
	}

	static String lock(String id) {
		return readable(id) + "-" + sha256(id) + LOCK_SUFFIX;
	}

	/**
	 * A namespace of safe characters is used as it is; any other is encoded like an id.
	 */
	static String namespace(String namespace) {
		boolean safe = !namespace.isEmpty() && namespace.length() <= 64 && namespace.charAt(0) != '.'
				&& namespace.chars().allMatch(FileNames::isSafe);
		return safe ? namespace : readable(namespace) + "-" + sha256(namespace);
	}

	private static String readable(String value) {
		StringBuilder name = new StringBuilder(READABLE_PREFIX);
		for (int i = 0; i < value.length() && name.length() < READABLE_PREFIX; i++) {
			char c = value.charAt(i);
			name.append((isSafe(c) && c != '.') ? c : '_');
		}
		return name.toString();
	}

	private static boolean isSafe(int c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
				|| c == '.';
	}

	private static String sha256(String value) {
		return HexFormat.of().formatHex(Digests.sha256(value));
	}

}
