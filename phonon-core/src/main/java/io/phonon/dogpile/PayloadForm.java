package io.phonon.dogpile;

import java.lang.reflect.Type;
import java.util.Objects;

import io.phonon.JsonCodec;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link DogpileStore} keeps of a value: its JSON text ({@link #ENCODED}, the
 * stores of the engines that share values between processes) or the value itself
 * ({@link #OBJECTS}, a store of this process).
 *
 * @param <P> the type of what the store keeps
 */
public abstract sealed class PayloadForm<P extends @Nullable Object> {

	/** Values kept as JSON text, made and read with the caches' {@link JsonCodec}. */
	public static final PayloadForm<String> ENCODED = new Encoded();

	/** Values kept as they are, in this process. */
	public static final PayloadForm<@Nullable Object> OBJECTS = new Kept();

	private PayloadForm() {
	}

	/**
	 * Returns whether this form needs a {@link JsonCodec}.
	 * @return whether values are encoded
	 */
	public abstract boolean encoded();

	/** Makes what the store keeps of {@code value}. */
	abstract P payload(@Nullable Object value, @Nullable JsonCodec codec);

	/** Reads the value back from what the store keeps. */
	abstract @Nullable Object value(P payload, @Nullable JsonCodec codec, Type type);

	private static final class Encoded extends PayloadForm<String> {

		@Override
		public boolean encoded() {
			return true;
		}

		@Override
		String payload(@Nullable Object value, @Nullable JsonCodec codec) {
			return Objects.requireNonNull(codec, "codec").encode(value);
		}

		@Override
		@Nullable Object value(String payload, @Nullable JsonCodec codec, Type type) {
			return Objects.requireNonNull(codec, "codec").decode(payload, type);
		}

	}

	private static final class Kept extends PayloadForm<@Nullable Object> {

		@Override
		public boolean encoded() {
			return false;
		}

		@Override
		@Nullable Object payload(@Nullable Object value, @Nullable JsonCodec codec) {
			return value;
		}

		@Override
		@Nullable Object value(@Nullable Object payload, @Nullable JsonCodec codec, Type type) {
			return payload;
		}

	}

}
