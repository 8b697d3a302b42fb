package io.phonon.backend.support;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Strings as the plain-data tables that engines carry between processes write them (the
 * file engine's reference and atom tables): length and UTF-8 bytes, with no 64 KiB limit
 * as {@code writeUTF} has.
 */
public final class TableData {

	private TableData() {
	}

	/**
	 * Writes a string.
	 * @param out where to write
	 * @param value the string
	 * @throws IOException if writing fails
	 */
	public static void writeString(DataOutputStream out, String value) throws IOException {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		out.writeInt(bytes.length);
		out.write(bytes);
	}

	/**
	 * Reads a string that {@link #writeString} wrote.
	 * @param in where to read
	 * @return the string
	 * @throws IOException if reading fails or the data is cut short
	 */
	public static String readString(DataInputStream in) throws IOException {
		int length = in.readInt();
		byte[] bytes = in.readNBytes(Math.max(length, 0));
		if (length < 0 || bytes.length != length) {
			throw new EOFException("table data cut short");
		}
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
