package io.phonon;

import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Encodes dogpile values as JSON with a Jackson {@link JsonMapper}, the application's own
 * in the auto-configuration, decoding them to their full generic type.
 */
public final class JacksonJsonCodec implements JsonCodec {

	private final JsonMapper jsonMapper;

	/**
	 * Creates the codec.
	 * @param jsonMapper the mapper
	 */
	public JacksonJsonCodec(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	@Override
	public String encode(@Nullable Object value) {
		return this.jsonMapper.writeValueAsString(value);
	}

	@Override
	public @Nullable Object decode(String text, Type type) {
		return this.jsonMapper.readValue(text, this.jsonMapper.constructType(type));
	}

}
