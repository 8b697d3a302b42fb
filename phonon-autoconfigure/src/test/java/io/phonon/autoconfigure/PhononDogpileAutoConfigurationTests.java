package io.phonon.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.phonon.backend.memory.MemoryBackend;
import io.phonon.dogpile.DogpileCache;
import io.phonon.dogpile.DogpileOptions;
import io.phonon.dogpile.DogpileStore;
import io.phonon.dogpile.Dogpiles;
import io.phonon.testsupport.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

class PhononDogpileAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
		.of(PhononAutoConfiguration.class, PhononDogpileAutoConfiguration.class, JacksonAutoConfiguration.class));

	@Test
	void dogpilesKeepValuesInTheProcessOnTheMemoryAndFileBackends(@TempDir Path directory) {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(Dogpiles.class);
			assertThat(context.getBean(DogpileStore.class).shared()).isFalse();
		});
		this.runner.withPropertyValues("phonon.backend=file", "phonon.file.directory=" + directory).run((context) -> {
			assertThat(context.getBean(DogpileStore.class).name()).isEqualTo("memory");
			assertThat(context.getBean(Dogpiles.class).cache("c", String.class).get("k", () -> "v")).isEqualTo("v");
		});
	}

	@Test
	void dogpilesShareValuesThroughRedisEncodedWithTheApplicationsJsonMapper() {
		this.runner.withBean(RedisConnectionFactory.class, TestRedis::newConnectionFactory)
			.withPropertyValues("phonon.backend=redis", "phonon.namespace=dogpile-auto-" + System.nanoTime())
			.run((context) -> {
				assertThat(context.getBean(DogpileStore.class).shared()).isTrue();
				assertThat(context).hasSingleBean(JsonMapper.class);
				assertThat(context.getBean(Dogpiles.class).cache("c", String.class).get("k", () -> "v")).isEqualTo("v");
			});
	}

	@Test
	void backgroundRegenerationsRunOnTheApplicationsTaskExecutorWhereThereIsOne() {
		this.runner.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class)).run((context) -> {
			DogpileCache<String> cache = context.getBean(Dogpiles.class)
				.cache("threads", new ParameterizedTypeReference<String>() {
				}, DogpileOptions.expireAfter(Duration.ofMillis(1)).withMaxStale(Duration.ofHours(1)).withAsync(true));
			assertThat(cache.get("k", () -> "first")).isEqualTo("first");
			Thread.sleep(20); // past its freshness
			CompletableFuture<String> regeneratedOn = new CompletableFuture<>();
			assertThat(cache.get("k", () -> {
				regeneratedOn.complete(Thread.currentThread().getName());
				return "second";
			})).isEqualTo("first");
			assertThat(regeneratedOn.get(1, TimeUnit.MINUTES)).startsWith("task-");
		});
	}

	@Test
	void aSharedStoreWithoutJacksonFailsTheStartUpSayingWhatToAdd() {
		this.runner.withClassLoader(new FilteredClassLoader(JsonMapper.class))
			.withBean(RedisConnectionFactory.class, TestRedis::newConnectionFactory)
			.withPropertyValues("phonon.backend=redis")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("add spring-boot-starter-jackson"));
	}

	@Test
	void aNegativeDefaultFreshnessFailsTheStartUpNamingTheProperty() {
		this.runner.withPropertyValues("phonon.dogpile.expire-after=-1s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("dogpile.expireAfter")
				.hasMessageContaining("must be positive"));
	}

	@Test
	void backsOffForTheApplicationsOwnDogpiles() {
		this.runner.withBean("mine", Dogpiles.class, () -> Dogpiles.builder(MemoryBackend.dogpiles(), null).build())
			.run((context) -> assertThat(context).hasSingleBean(Dogpiles.class).hasBean("mine"));
	}

}
