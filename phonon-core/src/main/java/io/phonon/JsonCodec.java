package io.phonon;

import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;

/**
 * Turns values into text for shared stores and back, with their full generic type, so
 * that a {@code List<Report>} comes back as a list of reports. The auto-configuration
 * uses the application's Jackson mapper; never Java serialization.
 */
public interface JsonCodec {

	/**
	 * Encodes a value.
	 * @param value the value, may be {@code null}
	 * @return the text
	 */
	String encode(@Nullable Object value);

	/**
	 * Decodes a value.
	 * @param text what {@link #encode} made
	 * @param type the value's type, generic parameters included
	 * @return the value, may be {@code null}
	 */
	@Nullable Object decode(String text, Type type);

}
