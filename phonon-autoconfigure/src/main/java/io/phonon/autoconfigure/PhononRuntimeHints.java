package io.phonon.autoconfigure;

import java.util.stream.Stream;

import io.phonon.actuate.PhononEndpoint;
import io.phonon.annotation.AsyncChannel;
import io.phonon.annotation.Dogpile;
import io.phonon.annotation.Locked;
import io.phonon.annotation.OnLeaseLost;
import io.phonon.annotation.OnTimeout;
import io.phonon.lock.HeldLock;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * What Phonon reads reflectively, for AOT processing and native images: the jdbc
 * backend's DDL, the attributes of its annotations, the JSON shape of the {@code phonon}
 * endpoint, and the classes whose presence says what a backend lacks
 * ({@link PhononEngineUnavailableException}).
 */
class PhononRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern("io/phonon/backend/jdbc/schema-*.sql");
		Stream.of(Locked.class, Dogpile.class, AsyncChannel.class, OnLeaseLost.class, OnTimeout.class)
			.forEach((type) -> hints.reflection().registerType(type, MemberCategory.INVOKE_DECLARED_METHODS));
		new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(),
				PhononEndpoint.PhononDescriptor.class, HeldLock.class);
		Stream
			.of("io.phonon.backend.memory.MemoryBackend", "io.phonon.backend.file.FileBackend",
					"io.phonon.backend.redis.RedisBackend", "io.phonon.backend.jdbc.JdbcBackend",
					"org.springframework.data.redis.connection.RedisConnectionFactory",
					"org.springframework.boot.jdbc.EmbeddedDatabaseConnection")
			.forEach((type) -> hints.reflection().registerType(TypeReference.of(type)));
	}

}
