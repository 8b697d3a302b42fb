package io.phonon.autoconfigure;

import java.time.Duration;

import io.phonon.actuate.PhononHealthIndicator;
import io.phonon.testsupport.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

class PhononHealthAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PhononAutoConfiguration.class, PhononHealthAutoConfiguration.class));

	@Test
	void upWhenTheBackendAnswers() {
		this.runner.run((context) -> {
			Health health = context.getBean("phononHealthIndicator", PhononHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("backend", "memory");
		});
	}

	@Test
	void downWithTheBackendsErrorWhenItDoesNotAnswer() {
		this.runner
			.withBean(RedisConnectionFactory.class,
					() -> TestRedis.connect("127.0.0.1", TestRedis.freePort(), Duration.ofMillis(500)))
			.withPropertyValues("phonon.backend=redis")
			.run((context) -> {
				Health health = context.getBean(PhononHealthIndicator.class).health();
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails().get("error").toString()).contains("Phonon backend 'redis' failed");
			});
	}

	@Test
	void switchedOffTheSpringBootWay() {
		this.runner.withPropertyValues("management.health.phonon.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(PhononHealthIndicator.class));
	}

}
