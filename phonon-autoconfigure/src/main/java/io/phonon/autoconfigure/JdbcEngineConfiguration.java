package io.phonon.autoconfigure;

import javax.sql.DataSource;

import io.phonon.backend.jdbc.JdbcBackend;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.jdbc.EmbeddedDatabaseConnection;
import org.springframework.boot.sql.autoconfigure.init.OnDatabaseInitializationCondition;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * The {@code jdbc} backend, over the application's {@link DataSource}: Phonon's tables
 * are set up once per start by {@link PhononJdbcSchemaInitializer} (as
 * {@code phonon.jdbc.initialize-schema} says), before the engines, which then only check
 * them.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "phonon.backend", havingValue = "jdbc")
@ConditionalOnClass({ JdbcBackend.class, EmbeddedDatabaseConnection.class })
@ConditionalOnSingleCandidate(DataSource.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
final class JdbcEngineConfiguration {

	@Bean
	@ConditionalOnMissingBean
	JdbcMaintenancePool phononJdbcMaintenancePool(PhononProperties properties, DataSource dataSource) {
		return JdbcMaintenancePool.over(dataSource, properties.getJdbc().getMaintenancePoolSize());
	}

	@Bean
	@ConditionalOnMissingBean
	@Conditional(OnPhononSchemaInitializationCondition.class)
	PhononJdbcSchemaInitializer phononJdbcSchemaInitializer(PhononProperties properties, DataSource dataSource) {
		return new PhononJdbcSchemaInitializer(dataSource, properties.getJdbc());
	}

	@Bean
	@DependsOnDatabaseInitialization
	PhononEngine phononEngine(PhononProperties properties, Environment environment, DataSource dataSource,
			JdbcMaintenancePool maintenance) {
		String namespace = PhononAutoConfiguration.namespace(properties, environment);
		String prefix = properties.getJdbc().getTablePrefix();
		return new PhononEngine(JdbcBackend.NAME,
				() -> JdbcBackend.locks(dataSource, maintenance.dataSource(), namespace, prefix, false),
				() -> JdbcBackend.references(dataSource, maintenance.dataSource(), namespace, prefix, false),
				() -> JdbcBackend.dogpiles(dataSource, namespace, prefix, false),
				() -> JdbcBackend.atoms(dataSource, namespace, prefix, false));
	}

	/**
	 * Phonon's tables are set up unless {@code phonon.jdbc.initialize-schema} is
	 * {@code never}.
	 */
	static final class OnPhononSchemaInitializationCondition extends OnDatabaseInitializationCondition {

		OnPhononSchemaInitializationCondition() {
			super("Phonon", "phonon.jdbc.initialize-schema");
		}

	}

}
