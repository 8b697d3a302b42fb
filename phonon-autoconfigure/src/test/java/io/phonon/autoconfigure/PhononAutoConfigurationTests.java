package io.phonon.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phonon.PhononBackendException;
import io.phonon.annotation.Locked;
import io.phonon.backend.memory.MemoryBackend;
import io.phonon.interceptor.LockedBeanPostProcessor;
import io.phonon.lock.Lease;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import io.phonon.testsupport.TestDatabases;
import io.phonon.testsupport.TestRedis;
import io.phonon.testsupport.TestRedisCluster;
import io.phonon.testsupport.TestRedisSentinel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(OutputCaptureExtension.class)
class PhononAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PhononAutoConfiguration.class));

	@Test
	void defaultsToTheMemoryBackendWithTheDocumentedDefaults() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(LockService.class)
				.hasSingleBean(LockBackend.class)
				.hasSingleBean(LockedBeanPostProcessor.class);
			assertThat(context.getBean(LockBackend.class).name()).isEqualTo("memory");
			PhononProperties properties = context.getBean(PhononProperties.class);
			assertThat(properties.getLock().getLease()).isEqualTo(Duration.ofSeconds(30));
			assertThat(properties.getLock().getWait()).isZero();
			assertThat(properties.getMetrics().isEnabled()).isTrue();
			try (Lease lease = context.getBean(LockService.class).acquire("x", LockOptions.defaults())) {
				assertThat(Duration.between(java.time.Instant.now(), lease.expiresAt()))
					.isBetween(Duration.ofSeconds(25), Duration.ofSeconds(30));
			}
		});
	}

	@Test
	void backsOffFromTheUsersOwnBeans() {
		this.runner.withUserConfiguration(OwnBeans.class).run((context) -> {
			assertThat(context).hasSingleBean(LockService.class).hasSingleBean(LockBackend.class);
			assertThat(context.getBean(LockService.class)).isSameAs(context.getBean(OwnBeans.class).lockService);
			assertThat(context.getBean(LockBackend.class)).isSameAs(context.getBean(OwnBeans.class).backend);
		});
	}

	@Test
	void lockServiceRunsOnTheUsersOwnBackend() {
		LockBackend own = MemoryBackend.locks();
		this.runner.withBean(LockBackend.class, () -> own).run((context) -> {
			context.getBean(LockService.class).acquire("mine", LockOptions.defaults());
			assertThat(own.tryAcquire("mine", "someone-else", Duration.ofSeconds(1))).isEmpty();
		});
	}

	@Test
	void fileBackendUsesTheDirectoryAndTheApplicationNameAsNamespace(@TempDir Path directory) {
		this.runner
			.withPropertyValues("phonon.backend=file", "phonon.file.directory=" + directory,
					"spring.application.name=billing", "phonon.lock.wait=2s")
			.run((context) -> {
				assertThat(context.getBean(LockBackend.class).name()).isEqualTo("file");
				context.getBean(LockService.class).acquire("invoices:7", LockOptions.defaults()).close();
				assertThat(directory.resolve("billing")).isDirectory();
				assertThat(context.getBean(PhononProperties.class).getLock().getWait())
					.isEqualTo(Duration.ofSeconds(2));
			});
		this.runner
			.withPropertyValues("phonon.backend=FILE", "phonon.file.directory=" + directory, "phonon.namespace=shared")
			.run((context) -> {
				context.getBean(LockService.class).acquire("x", LockOptions.defaults()).close();
				assertThat(directory.resolve("shared")).isDirectory();
			});
	}

	@Test
	void redisBackendRunsOnTheApplicationsRedisConnection() {
		LettuceConnectionFactory factory = TestRedis.connectionFactory();
		this.runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues("phonon.backend=redis", "spring.data.redis.host=" + factory.getHostName(),
					"spring.data.redis.port=" + factory.getPort(), "phonon.namespace=autoconfig-" + UUID.randomUUID())
			.run((context) -> {
				assertThat(context.getBean(LockBackend.class).name()).isEqualTo("redis");
				try (Lease lease = context.getBean(LockService.class).acquire("invoices:7", LockOptions.defaults())) {
					assertThat(lease.token()).isPositive();
				}
			});
	}

	@Test
	void redisBackendRunsOnSentinelAndRedisClusterAsSpringDataRedisConfiguresThem() throws Exception {
		TestRedisSentinel sentinel = TestRedisSentinel.shared();
		this.runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues("phonon.backend=redis", "spring.data.redis.sentinel.master=" + TestRedisSentinel.MASTER,
					"spring.data.redis.sentinel.nodes=" + sentinel.nodes(), "phonon.redis.replica-acks=2",
					"phonon.redis.replica-ack-timeout=2s", "phonon.namespace=autoconfig-" + UUID.randomUUID())
			.run((context) -> {
				try (Lease lease = context.getBean(LockService.class).acquire("invoices:7", LockOptions.defaults())) {
					assertThat(lease.token()).isPositive();
				}
			});
		// Three replicas cannot confirm where there are two.
		this.runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues("phonon.backend=redis", "spring.data.redis.sentinel.master=" + TestRedisSentinel.MASTER,
					"spring.data.redis.sentinel.nodes=" + sentinel.nodes(), "phonon.redis.replica-acks=3",
					"phonon.redis.replica-ack-timeout=100ms", "phonon.namespace=autoconfig-" + UUID.randomUUID())
			.run((context) -> assertThatExceptionOfType(PhononBackendException.class)
				.isThrownBy(() -> context.getBean(LockService.class).acquire("invoices:7", LockOptions.defaults()))
				.withMessageContaining("only 2 of the 3 replicas that phonon.redis.replica-acks asks for"));
		TestRedisCluster.connectionFactory();
		this.runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues("phonon.backend=redis",
					"spring.data.redis.cluster.nodes=" + String.join(",", TestRedisCluster.shared().nodes()),
					"phonon.redis.replica-acks=1", "phonon.namespace=autoconfig-" + UUID.randomUUID())
			.run((context) -> {
				try (Lease lease = context.getBean(LockService.class).acquire("invoices:7", LockOptions.defaults())) {
					assertThat(lease.token()).isPositive();
				}
			});
	}

	@Test
	void replicaAcksMustBeANumberOfReplicasWithAPositiveTimeout() {
		this.runner.withPropertyValues("phonon.redis.replica-acks=-1").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("redis.replicaAcks")
				.hasStackTraceContaining("must be zero");
		});
		this.runner.withPropertyValues("phonon.redis.replica-acks=1", "phonon.redis.replica-ack-timeout=0s")
			.run((context) -> assertThat(context.getStartupFailure()).hasStackTraceContaining("redis.replicaAckTimeout")
				.hasStackTraceContaining("WAIT 0 waits for ever"));
		this.runner.withPropertyValues("phonon.redis.replica-ack-timeout=500")
			.run((context) -> assertThat(context.getStartupFailure())
				.hasStackTraceContaining("phonon.redis.replica-ack-timeout")
				.hasStackTraceContaining("such as 500s"));
	}

	@Test
	void localHandOffsMustNotBeNegative() {
		this.runner.withPropertyValues("phonon.lock.local-hand-offs=-1").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("lock.localHandOffs")
				.hasStackTraceContaining("must be zero (release every lock to the engine)");
		});
		this.runner.withPropertyValues("phonon.lock.local-hand-offs=0")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void redisBackendWithoutSpringDataRedisOrAConnectionSaysWhatToAdd() {
		this.runner.withPropertyValues("phonon.backend=redis")
			.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.run((context) -> assertThat(context.getStartupFailure())
				.hasStackTraceContaining("phonon.backend=redis needs Spring Data Redis")
				.hasStackTraceContaining("spring-boot-starter-data-redis"));
		this.runner.withPropertyValues("phonon.backend=redis")
			.run((context) -> assertThat(context.getStartupFailure())
				.hasStackTraceContaining("phonon.backend=redis needs one RedisConnectionFactory bean")
				.hasStackTraceContaining("spring.data.redis.*"));
	}

	@Test
	void jdbcBackendCreatesItsTableInAnEmbeddedDatabase() {
		this.runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withPropertyValues("phonon.backend=jdbc",
					"spring.datasource.url=jdbc:h2:mem:autoconfig-" + UUID.randomUUID(),
					"phonon.jdbc.table-prefix=app_")
			.run((context) -> {
				assertThat(context).hasSingleBean(PhononJdbcSchemaInitializer.class);
				assertThat(context.getBean(LockBackend.class).name()).isEqualTo("jdbc");
				try (Lease lease = context.getBean(LockService.class).acquire("invoices:7", LockOptions.defaults())) {
					assertThat(lease.token()).isPositive();
				}
				try (var connection = context.getBean(DataSource.class).getConnection();
						var rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM app_locks")) {
					assertThat(rows.next()).isTrue();
					assertThat(rows.getInt(1)).isEqualTo(1);
				}
			});
	}

	@Test
	void jdbcBackendLeavesTheSchemaOfAServerDatabaseToItsOwnersByDefault() {
		String url = TestDatabases.postgresUrl();
		String prefix = "missing_" + UUID.randomUUID().toString().substring(0, 8) + "_";
		this.runner.withBean(DataSource.class, () -> TestDatabases.pool(url))
			.withPropertyValues("phonon.backend=jdbc", "phonon.jdbc.table-prefix=" + prefix)
			.run((context) -> assertThat(context.getStartupFailure())
				.hasStackTraceContaining("use the reference tables " + prefix + "ref_*")
				.hasStackTraceContaining("phonon.jdbc.initialize-schema=always"));
		this.runner.withBean(DataSource.class, () -> TestDatabases.pool(url))
			.withPropertyValues("phonon.backend=jdbc", "phonon.jdbc.table-prefix=" + prefix,
					"phonon.jdbc.initialize-schema=always")
			.run((context) -> assertThat(context.getBean(LockService.class).tryAcquire("x", LockOptions.defaults()))
				.isPresent());
		this.runner.withBean(DataSource.class, () -> TestDatabases.pool(url))
			.withPropertyValues("phonon.backend=jdbc", "phonon.jdbc.table-prefix=" + prefix,
					"phonon.jdbc.initialize-schema=never")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(PhononJdbcSchemaInitializer.class);
				assertThat(context.getBean(LockService.class).tryAcquire("x", LockOptions.defaults())).isPresent();
			});
	}

	@Test
	void jdbcBackendWithoutSpringJdbcOrADataSourceSaysWhatToAdd() {
		this.runner.withPropertyValues("phonon.backend=jdbc")
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.jdbc"))
			.run((context) -> assertThat(context.getStartupFailure())
				.hasStackTraceContaining("phonon.backend=jdbc needs Spring JDBC")
				.hasStackTraceContaining("spring-boot-starter-jdbc"));
		this.runner.withPropertyValues("phonon.backend=jdbc")
			.run((context) -> assertThat(context.getStartupFailure())
				.hasStackTraceContaining("phonon.backend=jdbc needs one DataSource bean")
				.hasStackTraceContaining("spring.datasource.*"));
		this.runner.withPropertyValues("phonon.jdbc.table-prefix=x; DROP TABLE users; --")
			.run((context) -> assertThat(context.getStartupFailure()).hasStackTraceContaining("jdbc.tablePrefix")
				.hasStackTraceContaining("may hold only letters, digits and underscores"));
	}

	@Test
	void unusableFileDirectoryFailsTheStartUpSayingWhatToFix(@TempDir Path directory) throws Exception {
		Path file = Files.writeString(directory.resolve("occupied"), "x");
		this.runner.withPropertyValues("phonon.backend=file", "phonon.file.directory=" + file).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("set phonon.file.directory");
		});
	}

	@Test
	void badDurationsFailAtBindingNamingTheProperty() {
		this.runner.withPropertyValues("phonon.lock.lease=-5s", "phonon.lock.wait=-1ms").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("lock.lease")
				.hasStackTraceContaining("must be positive")
				.hasStackTraceContaining("lock.wait")
				.hasStackTraceContaining("must be zero or positive");
		});
		this.runner.withPropertyValues("phonon.lock.lease=0s").run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void durationsWithoutAUnitFailAtBindingSayingWhatToWrite(CapturedOutput output) {
		SpringApplication application = new SpringApplication(Application.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		// As YAML's "lease: 30" arrives: a number, not a string.
		application.setDefaultProperties(Map.of("phonon.lock.lease", 30));
		assertThatException().isThrownBy(application::run);
		assertThat(output).contains("phonon.lock.lease")
			.contains("a duration needs a unit: without one Spring Boot reads 30 as 30 milliseconds")
			.contains("such as 30s");
		this.runner.withPropertyValues("phonon.process.session-timeout=45").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("phonon.process.session-timeout")
				.hasStackTraceContaining("such as 45s");
		});
		this.runner.withPropertyValues("phonon.lock.wait=0", "phonon.shutdown.grace-period=0")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void leasesBeyondTheBoundsFailTheStartUp() {
		this.runner.withPropertyValues("phonon.lock.lease=10000d").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("lock.lease")
				.hasStackTraceContaining("at most 7300 days");
		});
		// Shorter than the memory engine keeps (10 ms): the engine is known only once it
		// is built.
		this.runner.withPropertyValues("phonon.lock.lease=5ms").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("phonon.lock.lease")
				.hasStackTraceContaining("shorter than the memory engine keeps reliably (PT0.01S)");
		});
	}

	@Test
	void unknownBackendFailsTheStartUpListingTheValidOnes(CapturedOutput output) {
		SpringApplication application = new SpringApplication(Application.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--phonon.backend=carrier-pigeon"));
		assertThat(output).contains("phonon.backend")
			.contains("carrier-pigeon")
			.contains("The following values are valid")
			.contains("FILE")
			.contains("MEMORY")
			.contains("REDIS")
			.contains("JDBC");
	}

	@Test
	void backendWithoutWhatItRunsOnFailsTheStartUpWithAReportSayingWhatToAdd(CapturedOutput output) {
		SpringApplication application = new SpringApplication(Application.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--phonon.backend=jdbc",
				"--spring.autoconfigure.exclude=" + DataSourceAutoConfiguration.class.getName()));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("phonon.backend=jdbc needs one DataSource bean, and there is none or more than one.")
			.contains("Action:")
			.contains("spring.datasource.*")
			.contains("or choose another backend with phonon.backend");
	}

	@Test
	void negativeLeaseFailsTheStartUpWithTheReasonShownToTheUser(CapturedOutput output) {
		SpringApplication application = new SpringApplication(Application.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--phonon.lock.lease=-30s"));
		assertThat(output).contains("phonon.lock.lease").contains("must be positive");
	}

	@Test
	void recordsLockMetersInTheApplicationsRegistryUnlessDisabled() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withUserConfiguration(LockedJob.class)
			.run((context) -> {
				context.getBean(LockedJob.class).run();
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("phonon.lock.acquire")
					.tags("name", "job", "backend", "memory", "outcome", "acquired")
					.timer()
					.count()).isEqualTo(1);
			});
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withUserConfiguration(LockedJob.class)
			.withPropertyValues("phonon.metrics.enabled=false")
			.run((context) -> {
				context.getBean(LockedJob.class).run();
				assertThat(context.getBean(MeterRegistry.class).find("phonon.lock.acquire").meters()).isEmpty();
			});
	}

	@Test
	void needsNoneOfTheOptionalEngineOrActuatorClasses() {
		this.runner
			.withClassLoader(new FilteredClassLoader("org.springframework.data.redis", "org.springframework.jdbc",
					"org.springframework.boot.actuate", "io.lettuce"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				try (Lease lease = context.getBean(LockService.class).acquire("x", LockOptions.defaults())) {
					assertThat(lease.isValid()).isTrue();
				}
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBeans {

		final LockBackend backend = MemoryBackend.locks();

		final LockService lockService = LockService.builder(this.backend).build();

		@Bean
		LockBackend ownBackend() {
			return this.backend;
		}

		@Bean
		LockService ownLockService() {
			return this.lockService;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LockedJob {

		@Locked(name = "job")
		public String run() {
			return Lease.current().orElseThrow().id();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Application {

	}

}
