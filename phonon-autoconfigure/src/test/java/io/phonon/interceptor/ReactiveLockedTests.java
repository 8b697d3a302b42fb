package io.phonon.interceptor;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.phonon.annotation.Locked;
import io.phonon.annotation.OnLeaseLost;
import io.phonon.annotation.OnTimeout;
import io.phonon.autoconfigure.PhononAutoConfiguration;
import io.phonon.lock.AlreadyLockedException;
import io.phonon.lock.Lease;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import io.phonon.lock.ReactiveLease;
import io.phonon.lock.ReactiveLockService;
import io.phonon.testsupport.FaultyLockBackend;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code @Locked} on methods returning {@code Mono} and {@code Flux}, through the
 * auto-configured proxy on the memory engine: the lock is held by each subscription, and
 * the method runs once per subscription. The engines are covered by
 * {@code ReactiveLockContractTests}.
 */
class ReactiveLockedTests {

	private static final Duration TIMEOUT = Duration.ofMinutes(2);

	private static final LockOptions MINUTE_WAIT = LockOptions.defaults().withWait(Duration.ofMinutes(1));

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PhononAutoConfiguration.class))
		.withUserConfiguration(Services.class);

	@Test
	void concurrentSubscribersRunTheMethodOneAtATimeWithIncreasingTokens() {
		this.runner.run((context) -> {
			Reports reports = context.getBean(Reports.class);
			Mono<Long> report = reports.slow();
			assertThat(reports.calls()).as("nothing runs before a subscription").hasValue(0);
			List<Long> tokens = Flux.merge(report, report, report).collectList().block(TIMEOUT);
			assertThat(reports.calls()).hasValue(3);
			List<Long> inOrder = tokens.stream().sorted().toList();
			assertThat(inOrder).doesNotHaveDuplicates();
			assertThat(reports.history()).containsExactly("enter " + inOrder.get(0), "leave " + inOrder.get(0),
					"enter " + inOrder.get(1), "leave " + inOrder.get(1), "enter " + inOrder.get(2),
					"leave " + inOrder.get(2));
		});
	}

	@Test
	void aLockedCallInTheSubscriptionsPipelineJoinsItsLease() {
		this.runner.run((context) -> {
			List<Long> tokens = context.getBean(Outer.class).both().block(TIMEOUT);
			assertThat(tokens).hasSize(2).containsOnly(tokens.get(0));
		});
	}

	@Test
	void aLockHeldElsewhereCompletesEmptyWhenSkippingAndSignalsAlreadyLockedOtherwise() {
		this.runner.run((context) -> {
			Reports reports = context.getBean(Reports.class);
			try (Lease held = context.getBean(LockService.class).acquire("report", LockOptions.defaults())) {
				assertThat(reports.skipping().blockOptional(TIMEOUT)).isEmpty();
				assertThatExceptionOfType(AlreadyLockedException.class)
					.isThrownBy(() -> reports.throwing().block(TIMEOUT));
				assertThat(reports.calls()).as("the method was not called").hasValue(0);
			}
		});
	}

	@Test
	void anAlreadyLockedExceptionOfTheMethodItselfIsNotASkip() {
		this.runner.run((context) -> assertThatExceptionOfType(AlreadyLockedException.class)
			.isThrownBy(() -> context.getBean(Reports.class).failingLikeARefusal().block(TIMEOUT))
			.withMessageContaining("inner"));
	}

	@Test
	void cancellingTheSubscriptionReleasesTheLock() throws InterruptedException {
		this.runner.run((context) -> {
			Reports reports = context.getBean(Reports.class);
			Disposable holder = reports.hanging().subscribe();
			assertThat(reports.entered().await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			holder.dispose();
			// The wait is shorter than the hanging method's lease.
			assertThat(context.getBean(LockService.class).tryAcquire("report", MINUTE_WAIT))
				.hasValueSatisfying(Lease::close);
		});
	}

	@Test
	void aFluxHoldsTheLockWhileItEmits() {
		this.runner.run((context) -> {
			LockService locks = context.getBean(LockService.class);
			List<Boolean> othersGotIn = context.getBean(Reports.class)
				.stream()
				.map((i) -> locks.tryAcquire("stream", LockOptions.defaults()).map((other) -> {
					other.close();
					return true;
				}).orElse(false))
				.collectList()
				.block(TIMEOUT);
			assertThat(othersGotIn).hasSize(5).containsOnly(false);
			assertThat(locks.tryAcquire("stream", MINUTE_WAIT)).hasValueSatisfying(Lease::close);
		});
	}

	@Test
	void onLeaseLostInterruptCancelsTheSubscriptionWithACancellationException() {
		this.runner
			.withBean(FaultyLockBackend.class,
					() -> new FaultyLockBackend().fail("lossy", FaultyLockBackend.Fault.REFUSE))
			.run((context) -> {
				assertThatExceptionOfType(CancellationException.class)
					.isThrownBy(() -> context.getBean(Reports.class).lossy().block(TIMEOUT))
					.withMessageContaining("lease of lock 'lossy' was lost");
			});
	}

	@Test
	void withOneThreadAWaiterHoldingItIsStillWokenByTheRelease() {
		this.runner.withPropertyValues("phonon.lock.reactive-threads=1").run((context) -> {
			ReactiveLockService locks = context.getBean(ReactiveLockService.class);
			LockOptions minuteWait = MINUTE_WAIT.withLease(Duration.ofMinutes(5));
			Sinks.Empty<Void> done = Sinks.empty();
			CountDownLatch entered = new CountDownLatch(1);
			locks.withLock("one", minuteWait, Mono.fromRunnable(entered::countDown).then(done.asMono())).subscribe();
			assertThat(entered.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			// The only thread now waits for "one"; the holder's release must not need it.
			Mono<String> waiter = locks.withLock("one", minuteWait, Mono.just("woken")).cache();
			waiter.subscribe((value) -> {
			}, (failure) -> {
			});
			done.tryEmitEmpty();
			assertThat(waiter.block(TIMEOUT)).isEqualTo("woken");
		});
	}

	@Test
	void closingTheContextRevokesARunningSectionAfterTheGracePeriodAndInterruptCancelsIt() {
		this.runner.withPropertyValues("phonon.shutdown.grace-period=200ms").run((context) -> {
			Reports reports = context.getBean(Reports.class);
			Mono<String> section = reports.interruptible().cache();
			section.subscribe((value) -> {
			}, (failure) -> {
			});
			assertThat(reports.entered().await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			context.close();
			assertThatExceptionOfType(CancellationException.class).isThrownBy(() -> section.block(TIMEOUT))
				.withMessageContaining("lease of lock 'report' was lost");
		});
	}

	@Test
	void theReactiveLockServiceNeedsAtLeastOneThread() {
		this.runner.withPropertyValues("phonon.lock.reactive-threads=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("lock.reactiveThreads")
				.hasMessageContaining("must be at least 1");
		});
		this.runner.run((context) -> assertThat(context).hasSingleBean(ReactiveLockService.class));
	}

	@Test
	void anApplicationWithALockServiceOfItsOwnStartsAndIsToldOnItsFirstReactiveSection() {
		LockService own = (LockService) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { LockService.class }, (proxy, method, arguments) -> {
					throw new UnsupportedOperationException(method.getName());
				});
		this.runner.withBean(LockService.class, () -> own).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThatExceptionOfType(BeanCreationException.class)
				.isThrownBy(() -> context.getBean(Reports.class).token().block(TIMEOUT))
				.havingRootCause()
				.withMessageContaining("over a LockService made by LockService.builder(...)");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Services {

		@Bean
		Reports reports() {
			return new Reports();
		}

		@Bean
		Outer outer(Reports reports) {
			return new Outer(reports);
		}

	}

	static class Reports {

		private final AtomicInteger calls = new AtomicInteger();

		private final List<String> history = Collections.synchronizedList(new ArrayList<>());

		private final CountDownLatch entered = new CountDownLatch(1);

		// Read through the proxy, which has no fields of its own.
		public AtomicInteger calls() {
			return this.calls;
		}

		public List<String> history() {
			return this.history;
		}

		public CountDownLatch entered() {
			return this.entered;
		}

		@Locked(name = "report", lease = "5m", waitTime = "1m")
		public Mono<Long> slow() {
			this.calls.incrementAndGet();
			return ReactiveLease.current().flatMap((lease) -> {
				this.history.add("enter " + lease.token());
				return Mono.delay(Duration.ofSeconds(1)).then(Mono.fromCallable(() -> {
					this.history.add("leave " + lease.token());
					return lease.token();
				}));
			});
		}

		@Locked(name = "report", waitTime = "0s")
		public Mono<Long> token() {
			return ReactiveLease.current().map(Lease::token);
		}

		@Locked(name = "report", onTimeout = OnTimeout.SKIP)
		public Mono<String> skipping() {
			this.calls.incrementAndGet();
			return Mono.just("ran");
		}

		@Locked(name = "report")
		public Mono<String> throwing() {
			this.calls.incrementAndGet();
			return Mono.just("ran");
		}

		@Locked(name = "report", onTimeout = OnTimeout.SKIP)
		public Mono<String> failingLikeARefusal() {
			return Mono.error(new AlreadyLockedException("inner", Duration.ZERO));
		}

		@Locked(name = "report", lease = "5m")
		public Mono<String> hanging() {
			return Mono.fromRunnable(this.entered::countDown).then(Mono.never());
		}

		@Locked(name = "report", lease = "5m", onLeaseLost = OnLeaseLost.INTERRUPT)
		public Mono<String> interruptible() {
			return Mono.fromRunnable(this.entered::countDown).then(Mono.never());
		}

		@Locked(name = "stream")
		public Flux<Long> stream() {
			return Flux.interval(Duration.ofMillis(50)).take(5);
		}

		@Locked(name = "lossy", lease = "600ms", onLeaseLost = OnLeaseLost.INTERRUPT)
		public Mono<String> lossy() {
			return Mono.never();
		}

	}

	static class Outer {

		private final Reports reports;

		Outer(Reports reports) {
			this.reports = reports;
		}

		@Locked(name = "report", waitTime = "0s")
		public Mono<List<Long>> both() {
			return ReactiveLease.current()
				.flatMap((outer) -> this.reports.token().map((inner) -> List.of(outer.token(), inner)));
		}

	}

}
