package io.phonon.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.phonon.backend.memory.MemoryBackend;
import io.phonon.lock.LockService;
import io.phonon.reference.LastRelease;
import io.phonon.reference.LastReleaseHandler;
import io.phonon.reference.Reference;
import io.phonon.reference.ReferenceBackend;
import io.phonon.reference.References;
import io.phonon.testsupport.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

class PhononReferencesAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(PhononAutoConfiguration.class, PhononReferencesAutoConfiguration.class));

	@Test
	void referencesRunOnTheMemoryBackendByDefault() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(References.class).hasSingleBean(ReferenceBackend.class);
			References references = context.getBean(References.class);
			assertThat(references.processId()).isNotBlank();
			try (Reference reference = references.acquire("record:1")) {
				assertThat(reference.count()).isEqualTo(1);
			}
		});
	}

	@Test
	void stoppingTheApplicationReleasesItsReferencesThroughTheNormalPath() {
		ReferenceBackend engine = MemoryBackend.references();
		this.runner.withBean(ReferenceBackend.class, () -> engine).run((context) -> {
			context.getBean(References.class).acquire("record:2");
			assertThat(engine.count("record:2")).isEqualTo(1);
		});
		assertThat(engine.count("record:2")).isZero();
		assertThat(engine.unhandled()).as("no handler anywhere: completed, not kept").isEmpty();
	}

	@Test
	void handlerBeansAreRegisteredForTheirPatterns() {
		List<String> handled = new CopyOnWriteArrayList<>();
		this.runner.withBean("records", LastReleaseHandler.class, () -> new LastReleaseHandler() {

			@Override
			public String pattern() {
				return "record:*";
			}

			@Override
			public void onLastRelease(LastRelease release) {
				handled.add("records " + release.resource());
			}

		})
			.withBean("everything", LastReleaseHandler.class,
					() -> (release) -> handled.add("all " + release.resource()))
			.run((context) -> {
				References references = context.getBean(References.class);
				references.acquire("record:5").release();
				references.acquire("invoice:5").release();
				assertThat(handled).containsExactlyInAnyOrder("records record:5", "all record:5", "all invoice:5");
			});
	}

	@Test
	void backsOffFromTheUsersOwnReferences() {
		this.runner.withBean("ownReferences", References.class,
				() -> References.builder(MemoryBackend.references(), LockService.builder(MemoryBackend.locks()).build())
					.build())
			.run((context) -> assertThat(context).hasSingleBean(References.class)
				.getBean(References.class)
				.isSameAs(context.getBean("ownReferences")));
	}

	@Test
	void sessionTimingFromPropertiesIsCheckedAtBinding() {
		this.runner.withPropertyValues("phonon.process.heartbeat-interval=30s", "phonon.process.session-timeout=10s")
			.run((context) -> assertThat(context.getStartupFailure())
				.hasStackTraceContaining("process.heartbeatInterval")
				.hasStackTraceContaining("shorter than phonon.process.session-timeout"));
		this.runner.withPropertyValues("phonon.process.heartbeat-interval=1s", "phonon.process.session-timeout=3s")
			.run((context) -> assertThat(context.getBean(PhononProperties.class).getProcess().getSessionTimeout())
				.isEqualTo(Duration.ofSeconds(3)));
	}

	@Test
	void referencesRunOnTheRedisBackend() {
		LettuceConnectionFactory redis = TestRedis.connectionFactory();
		this.runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues("phonon.backend=redis", "spring.data.redis.host=" + redis.getHostName(),
					"spring.data.redis.port=" + redis.getPort(), "phonon.namespace=refs-" + UUID.randomUUID())
			.run((context) -> {
				assertThat(context.getBean(ReferenceBackend.class).name()).isEqualTo("redis");
				try (Reference reference = context.getBean(References.class).acquire("record:3")) {
					assertThat(reference.count()).isEqualTo(1);
				}
			});
	}

	@Test
	void referencesRunOnTheJdbcBackend() {
		this.runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withPropertyValues("phonon.backend=jdbc", "spring.datasource.url=jdbc:h2:mem:refs-" + UUID.randomUUID())
			.run((context) -> {
				assertThat(context.getBean(ReferenceBackend.class).name()).isEqualTo("jdbc");
				try (Reference reference = context.getBean(References.class).acquire("record:4")) {
					assertThat(reference.markModified()).isEqualTo(1);
					assertThat(reference.count()).isEqualTo(1);
				}
			});
	}

	@Test
	void referencesRunOnTheFileBackend(@TempDir Path directory) {
		this.runner.withPropertyValues("phonon.backend=file", "phonon.file.directory=" + directory).run((context) -> {
			assertThat(context.getBean(ReferenceBackend.class).name()).isEqualTo("file");
			try (Reference reference = context.getBean(References.class).acquire("record:5")) {
				assertThat(reference.markModified()).isEqualTo(1);
				assertThat(reference.count()).isEqualTo(1);
			}
		});
	}

}
