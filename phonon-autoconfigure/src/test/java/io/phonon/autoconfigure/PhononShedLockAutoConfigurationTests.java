package io.phonon.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phonon.bridge.shedlock.PhononLockProvider;
import io.phonon.lock.Lease;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import net.javacrumbs.shedlock.core.LockExtender;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class PhononShedLockAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PhononAutoConfiguration.class, PhononShedLockAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	@Test
	void schedulerLockJobsRunOnPhononWithFencingAndMeters() {
		this.runner.withUserConfiguration(SchedulerLockConfiguration.class).withBean(ReportJob.class).run((context) -> {
			assertThat(context).hasSingleBean(PhononLockProvider.class);
			ReportJob job = context.getBean(ReportJob.class);
			job.run();
			job.run();
			assertThat(job.tokens()).hasSize(2);
			assertThat(job.tokens().get(1)).isGreaterThan(job.tokens().get(0));
			// While another holder has the lock, ShedLock skips the run.
			try (Lease held = context.getBean(LockService.class).acquire("report", LockOptions.defaults())) {
				job.run();
			}
			assertThat(job.tokens()).hasSize(2);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("phonon.lock.acquire").tags("name", "report", "outcome", "acquired").timer().count())
				.isEqualTo(2);
			assertThat(meters.get("phonon.lock.acquire").tags("name", "report", "outcome", "timeout").timer().count())
				.isEqualTo(1);
		});
	}

	@Test
	void lockExtenderExtendsTheRunningJobsLease() {
		this.runner.withUserConfiguration(SchedulerLockConfiguration.class).withBean(LongJob.class).run((context) -> {
			Instant before = Instant.now();
			Instant extended = context.getBean(LongJob.class).run();
			assertThat(extended).isAfter(before.plus(Duration.ofMinutes(9)));
			assertThat(context.getBean(LockService.class).held()).as("released after the run").isEmpty();
		});
	}

	@Test
	void backsOffForTheApplicationsOwnLockProvider() {
		LockProvider own = (configuration) -> java.util.Optional.empty();
		this.runner.withBean(LockProvider.class, () -> own)
			.run((context) -> assertThat(context).doesNotHaveBean(PhononLockProvider.class)
				.getBean(LockProvider.class)
				.isSameAs(own));
	}

	@Test
	void backsOffWithoutShedLock() {
		this.runner.withClassLoader(new FilteredClassLoader(LockProvider.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(PhononLockProvider.class));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableSchedulerLock(defaultLockAtMostFor = "PT1M")
	static class SchedulerLockConfiguration {

	}

	static class LongJob {

		/**
		 * Runs with a one-minute lock, extends it to ten through ShedLock, and says until
		 * when it holds.
		 */
		@SchedulerLock(name = "long", lockAtMostFor = "1m")
		public Instant run() {
			LockExtender.extendActiveLock(Duration.ofMinutes(10), Duration.ZERO);
			return Lease.current().orElseThrow().expiresAt();
		}

	}

	static class ReportJob {

		private final List<Long> tokens = new ArrayList<>();

		@SchedulerLock(name = "report")
		public void run() {
			this.tokens.add(Lease.current().orElseThrow().token());
		}

		public List<Long> tokens() {
			return this.tokens;
		}

	}

}
