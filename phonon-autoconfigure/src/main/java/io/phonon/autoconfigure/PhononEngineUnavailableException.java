package io.phonon.autoconfigure;

import java.util.Locale;

import org.springframework.util.ClassUtils;

/**
 * The backend chosen by {@code phonon.backend} cannot be made: its engine module, its
 * client library or the one bean it runs on is missing.
 * {@link PhononEngineUnavailableFailureAnalyzer} turns it into a start-up report.
 */
public class PhononEngineUnavailableException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final PhononProperties.Backend backend;

	private final String description;

	private final String action;

	/**
	 * Creates the exception, finding what the backend lacks on the application's class
	 * path.
	 * @param backend the chosen backend
	 * @param classLoader the application's class loader
	 */
	public PhononEngineUnavailableException(PhononProperties.Backend backend, ClassLoader classLoader) {
		this(backend, Need.of(backend, classLoader));
	}

	private PhononEngineUnavailableException(PhononProperties.Backend backend, Need need) {
		super("phonon.backend=" + name(backend) + " needs " + need.description + ". " + need.action);
		this.backend = backend;
		this.description = "phonon.backend=" + name(backend) + " needs " + need.description + ".";
		this.action = need.action;
	}

	/**
	 * Returns the backend that could not be made.
	 * @return the backend
	 */
	public PhononProperties.Backend getBackend() {
		return this.backend;
	}

	/**
	 * Returns what the backend lacks.
	 * @return the description
	 */
	public String getDescription() {
		return this.description;
	}

	/**
	 * Returns what to do about it.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

	private static String name(PhononProperties.Backend backend) {
		return backend.name().toLowerCase(Locale.ROOT);
	}

	/** What a backend lacks, the first missing part first. */
	private record Need(String description, String action) {

		static Need of(PhononProperties.Backend backend, ClassLoader classLoader) {
			String engine = "phonon-" + name(backend);
			String engineClass = "io.phonon.backend." + name(backend) + "." + switch (backend) {
				case MEMORY -> "MemoryBackend";
				case FILE -> "FileBackend";
				case REDIS -> "RedisBackend";
				case JDBC -> "JdbcBackend";
			};
			if (!ClassUtils.isPresent(engineClass, classLoader)) {
				return new Need("the module " + engine + ", which is not on the class path",
						"Depend on io.phonon:phonon-spring-boot-starter, which brings every engine, or on io.phonon:"
								+ engine);
			}
			return switch (backend) {
				case REDIS -> ClassUtils
					.isPresent("org.springframework.data.redis.connection.RedisConnectionFactory", classLoader)
							? new Need("one RedisConnectionFactory bean, and there is none or more than one",
									"Let Spring Boot create it from spring.data.redis.* (host, port or url), or define"
											+ " exactly one RedisConnectionFactory bean (mark one @Primary)")
							: new Need("Spring Data Redis, which is not on the class path",
									"Add the dependency org.springframework.boot:spring-boot-starter-data-redis");
				case JDBC ->
					ClassUtils.isPresent("org.springframework.boot.jdbc.EmbeddedDatabaseConnection", classLoader)
							? new Need("one DataSource bean, and there is none or more than one",
									"Let Spring Boot create it from spring.datasource.* with a JDBC driver on the class"
											+ " path, or define exactly one DataSource bean (mark one @Primary)")
							: new Need("Spring JDBC, which is not on the class path",
									"Add the dependency org.springframework.boot:spring-boot-starter-jdbc and a JDBC"
											+ " driver");
				case MEMORY, FILE -> new Need("its engine configuration, which is missing",
						"Do not exclude Phonon's engine configurations");
			};
		}

	}

}
