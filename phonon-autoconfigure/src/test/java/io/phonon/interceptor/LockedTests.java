package io.phonon.interceptor;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.phonon.annotation.Locked;
import io.phonon.annotation.OnLeaseLost;
import io.phonon.annotation.OnTimeout;
import io.phonon.autoconfigure.PhononAutoConfiguration;
import io.phonon.lock.AlreadyLockedException;
import io.phonon.lock.Lease;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import io.phonon.testsupport.FaultyLockBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@code @Locked} through the auto-configured proxy and lock service, on the memory
 * engine.
 */
class LockedTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PhononAutoConfiguration.class))
		.withUserConfiguration(Services.class);

	private final ExecutorService others = Executors.newCachedThreadPool();

	@AfterEach
	void stop() {
		this.others.shutdownNow();
	}

	@Test
	void lockIdIsNameColonEvaluatedKeyAndTheMethodSeesItsLease() {
		this.runner.run((context) -> {
			Records records = context.getBean(Records.class);
			assertThat(records.enrich(new Record("42"))).isEqualTo("records:42");
			assertThat(records.byPosition("7", "x")).isEqualTo("positional:7:x");
			assertThat(records.withBean("9")).isEqualTo("beans:tenant-a/9");
			assertThat(records.whole()).isEqualTo("Records.whole");
		});
	}

	@Test
	void nullKeyFailsTheCallNamingTheExpression() {
		this.runner.run((context) -> assertThatIllegalArgumentException()
			.isThrownBy(() -> context.getBean(Records.class).enrich(new Record(null)))
			.withMessageContaining("@Locked on LockedTests.Records.enrich(Record)")
			.withMessageContaining("'#record.id' evaluated to null"));
	}

	@Test
	void nestedCallForTheSameLockIsReentrantWithoutAnotherEngineCall() {
		this.runner.withUserConfiguration(CountingBackend.class).run((context) -> {
			FaultyLockBackend backend = context.getBean(FaultyLockBackend.class);
			assertThat(context.getBean(Workflow.class).enrichTwice(new Record("1"))).isEqualTo("records:1");
			assertThat(backend.acquisitions).hasValue(1);
		});
	}

	@Test
	void heldLockThrowsOrSkipsAsTheAnnotationSays() {
		this.runner.run((context) -> {
			LockService locks = context.getBean(LockService.class);
			Lease held = this.others.submit(() -> locks.acquire("records:1", LockOptions.defaults()))
				.get(10, TimeUnit.SECONDS);
			Records records = context.getBean(Records.class);
			assertThatExceptionOfType(AlreadyLockedException.class).isThrownBy(() -> records.enrich(new Record("1")))
				.withMessageContaining("'records:1'");
			Skipping skipping = context.getBean(Skipping.class);
			Lease skipLock = this.others.submit(() -> locks.acquire("skip", LockOptions.defaults()))
				.get(10, TimeUnit.SECONDS);
			skipping.nothing();
			assertThat(skipping.calls).isZero();
			assertThat(skipping.text()).isNull();
			assertThat(skipping.optional()).isEmpty();
			assertThat(skipping.list()).isEmpty();
			assertThat(skipping.collection()).isEmpty();
			assertThat(skipping.set()).isEmpty();
			assertThat(skipping.map()).isEmpty();
			assertThat(skipping.stream()).isEmpty();
			assertThat(skipping.array()).isEmpty();
			assertThat(skipping.future()).isCompletedWithValue(null);
			assertThat(skipping.calls).isZero();
			skipLock.close();
			assertThat(skipping.text()).isEqualTo("ran");
			assertThatExceptionOfType(AlreadyLockedException.class).as("a refusal the method lets out")
				.isThrownBy(skipping::refusedInside)
				.withMessageContaining("'inner'");
			held.close();
		});
	}

	@Test
	void durationsComeFromPlaceholdersAndTheLeaseIsRenewedWhileTheMethodRuns() {
		this.runner.withPropertyValues("test.lease=3s").run((context) -> {
			Lease lease = context.getBean(Records.class).slow(Duration.ofSeconds(3));
			assertThat(lease.isValid()).as("lease after the method returned").isFalse();
		});
	}

	@Test
	void methodExceptionsPassUnchangedEvenChecked() {
		this.runner.run((context) -> {
			Records records = context.getBean(Records.class);
			assertThatExceptionOfType(IOException.class).isThrownBy(records::failing).withMessage("disk full");
			assertThat(records.enrich(new Record("after-failure"))).isEqualTo("records:after-failure");
		});
	}

	@Test
	void completableFutureMethodHoldsTheLockUntilTheFutureCompletes() {
		this.runner.run((context) -> {
			Records records = context.getBean(Records.class);
			CompletableFuture<String> pending = new CompletableFuture<>();
			assertThat(records.later(pending)).isSameAs(pending);
			LockService locks = context.getBean(LockService.class);
			assertThat(this.others.submit(() -> locks.tryAcquire("later", LockOptions.defaults()).isPresent())
				.get(10, TimeUnit.SECONDS)).isFalse();
			pending.complete("done");
			assertThat(this.others.submit(() -> locks.tryAcquire("later", LockOptions.defaults()).isPresent())
				.get(10, TimeUnit.SECONDS)).isTrue();
		});
	}

	@Test
	void worksOnClassProxiesByDefaultAndOnInterfaceProxies() {
		this.runner.run((context) -> {
			assertThat(AopUtils.isCglibProxy(context.getBean(Records.class))).isTrue();
			assertThat(context.getBean(Greeter.class).greet("ann")).isEqualTo("greet:ann");
			// A key of one parameter is read without SpEL, with SpEL's answer.
			assertThatIllegalArgumentException().isThrownBy(() -> context.getBean(Greeter.class).greet(null))
				.withMessageContaining("'#name' evaluated to null");
		});
		this.runner.withPropertyValues("spring.aop.proxy-target-class=false").run((context) -> {
			Greeter greeter = context.getBean(Greeter.class);
			assertThat(AopUtils.isJdkDynamicProxy(greeter)).isTrue();
			assertThat(greeter.greet("bob")).isEqualTo("greet:bob");
		});
	}

	@Test
	void badAnnotationsFailTheStartUpNamingClassMethodAndAttribute() {
		assertStartUpFailure(BadSyntax.class, "@Locked on LockedTests.BadSyntax.Service.run(String)",
				"key expression '#id +' is not valid SpEL");
		assertStartUpFailure(UnknownVariable.class, "@Locked on LockedTests.UnknownVariable.Service.run(String)",
				"refers to #idd, which is not a parameter of the method. Known: id, p0, a0");
		assertStartUpFailure(UnknownBean.class, "refers to bean @nowhere, and there is no bean of that name");
		assertStartUpFailure(BadDuration.class, "@Locked on LockedTests.BadDuration.Service.run()", "lease = \"soon\"",
				"not a duration");
		assertStartUpFailure(NegativeWait.class, "waitTime = \"${test.wait}\"", "must be zero or positive");
		assertStartUpFailure(PrimitiveSkip.class, "onTimeout = SKIP", "returns int");
		assertStartUpFailure(FinalMethod.class, "@Locked on LockedTests.FinalMethod.Service.run()",
				"private, static or final");
		assertStartUpFailure(InterruptedStage.class, "@Locked on LockedTests.InterruptedStage.Service.run()",
				"onLeaseLost = INTERRUPT", "CompletionStage");
	}

	@Test
	void silentMisconfigurationsFailTheStartUpSayingWhatToWrite() {
		assertStartUpFailure(UnitlessLease.class, "@Locked on LockedTests.UnitlessLease.run()", "lease = \"30\"",
				"has no unit, so it would be 30 milliseconds", "such as 30s");
		assertStartUpFailure(TenThousandDayLease.class, "lease = \"10000d\"", "at most 7300 days");
	}

	@Test
	void holdAtLeastKeepsTheLockAfterAShortMethodButNotAfterALongerOne() {
		this.runner.withBean(Ticks.class).run((context) -> {
			Ticks ticks = context.getBean(Ticks.class);
			LockService locks = context.getBean(LockService.class);
			ticks.instant();
			assertThat(locks.tryAcquire("instant", LockOptions.defaults()))
				.as("held for the hour after the method returned")
				.isEmpty();
			ticks.longerThanItsHold();
			assertThat(locks.tryAcquire("longer", LockOptions.defaults())).as("released: the method outlasted its hold")
				.isPresent();
		});
	}

	static class Ticks {

		@Locked(name = "instant", holdAtLeast = "1h")
		public void instant() {
		}

		@Locked(name = "longer", holdAtLeast = "1ms")
		public void longerThanItsHold() throws InterruptedException {
			Thread.sleep(20);
		}

	}

	static class UnitlessLease {

		@Locked(lease = "30")
		public void run() {
		}

	}

	static class TenThousandDayLease {

		@Locked(lease = "10000d")
		public void run() {
		}

	}

	@Test
	void onLeaseLostInterruptInterruptsTheMethodWhenItsLeaseIsLostAndOnlyThen() {
		this.runner.withUserConfiguration(RefusingBackend.class).run((context) -> {
			Lossy lossy = context.getBean(Lossy.class);
			assertThatExceptionOfType(InterruptedException.class).as("interrupted when the renewal was refused")
				.isThrownBy(lossy::interruptible);
			assertThat(Thread.currentThread().isInterrupted()).isFalse();
			assertThat(lossy.keepRunning()).as("the default keeps the method running, its lease invalid").isFalse();
			assertThat(lossy.quick()).isEqualTo("done");
			Thread.sleep(1_500);
			assertThat(Thread.interrupted()).as("never interrupted after the method returned").isFalse();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class RefusingBackend {

		@Bean
		FaultyLockBackend faultyLockBackend() {
			return new FaultyLockBackend().fail("lossy", FaultyLockBackend.Fault.REFUSE);
		}

		@Bean
		Lossy lossy() {
			return new Lossy();
		}

	}

	static class Lossy {

		@Locked(name = "lossy", lease = "600ms", onLeaseLost = OnLeaseLost.INTERRUPT)
		public void interruptible() throws InterruptedException {
			Thread.sleep(60_000);
		}

		@Locked(name = "lossy", lease = "600ms")
		public boolean keepRunning() throws InterruptedException {
			Lease lease = Lease.current().orElseThrow();
			while (lease.isValid()) {
				Thread.sleep(20);
			}
			return lease.isValid();
		}

		@Locked(name = "lossy", lease = "600ms", onLeaseLost = OnLeaseLost.INTERRUPT)
		public String quick() {
			return "done";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class InterruptedStage {

		@Bean
		InterruptedStage.Service interruptedStageService() {
			return new InterruptedStage.Service();
		}

		static class Service {

			@Locked(onLeaseLost = OnLeaseLost.INTERRUPT)
			public CompletableFuture<String> run() {
				return CompletableFuture.completedFuture("x");
			}

		}

	}

	private void assertStartUpFailure(Class<?> configuration, String... messages) {
		this.runner.withUserConfiguration(configuration).withPropertyValues("test.wait=-1s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).message().contains(messages);
		});
	}

	record Record(String id) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Services {

		@Bean
		Records records() {
			return new Records();
		}

		@Bean
		Workflow workflow(Records records) {
			return new Workflow(records);
		}

		@Bean
		Skipping skipping() {
			return new Skipping();
		}

		@Bean
		Greeter greeter() {
			return new EnglishGreeter();
		}

		@Bean
		Tenant tenant() {
			return new Tenant();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CountingBackend {

		@Bean
		FaultyLockBackend countingLockBackend() {
			return new FaultyLockBackend();
		}

	}

	static class Tenant {

		public String getName() {
			return "tenant-a";
		}

	}

	static class Records {

		@Locked(name = "records", key = "#record.id")
		public String enrich(Record record) {
			return Lease.current().orElseThrow().id();
		}

		@Locked(name = "positional", key = "#p0 + ':' + #a1")
		public String byPosition(String first, String second) {
			return Lease.current().orElseThrow().id();
		}

		@Locked(name = "beans", key = "@tenant.name + '/' + #id")
		public String withBean(String id) {
			return Lease.current().orElseThrow().id();
		}

		@Locked
		public String whole() {
			return Lease.current().orElseThrow().id();
		}

		/**
		 * Runs until its lease's end has moved a whole lease ({@code leaseTime}, the
		 * placeholder's value) past its first end: renewed, judged from the lease's
		 * history rather than a sleep.
		 */
		@Locked(name = "slow", lease = "${test.lease:30s}")
		public Lease slow(Duration leaseTime) {
			Lease lease = Lease.current().orElseThrow();
			Instant firstEnd = lease.expiresAt();
			assertThat(firstEnd).as("the lease from the placeholder")
				.isBefore(Instant.now().plus(leaseTime).plusMillis(1));
			await().atMost(Duration.ofSeconds(60)).until(() -> lease.expiresAt().isAfter(firstEnd.plus(leaseTime)));
			assertThat(lease.isValid()).isTrue();
			return lease;
		}

		@Locked(name = "failing")
		public void failing() throws IOException {
			throw new IOException("disk full");
		}

		@Locked(name = "later")
		public CompletableFuture<String> later(CompletableFuture<String> pending) {
			return pending;
		}

	}

	/**
	 * Holds a record's lock and calls another locked method for the same record through
	 * its proxy.
	 */
	static class Workflow {

		private final Records records;

		Workflow(Records records) {
			this.records = records;
		}

		@Locked(name = "records", key = "#record.id")
		public String enrichTwice(Record record) {
			return this.records.enrich(record);
		}

	}

	static class Skipping {

		int calls;

		@Locked(name = "skip", onTimeout = OnTimeout.SKIP)
		public void nothing() {
			this.calls++;
		}

		@Locked(name = "skip", onTimeout = OnTimeout.SKIP)
		public String text() {
			this.calls++;
			return "ran";
		}

		@Locked(name = "skip", onTimeout = OnTimeout.SKIP)
		public Optional<String> optional() {
			this.calls++;
			return Optional.of("ran");
		}

		@Locked(name = "skip", onTimeout = OnTimeout.SKIP)
		public List<String> list() {
			this.calls++;
			return List.of("ran");
		}

		@Locked(name = "skip", onTimeout = OnTimeout.SKIP)
		public Collection<String> collection() {
			this.calls++;
			return List.of("ran");
		}

		@Locked(name = "skip", onTimeout = OnTimeout.SKIP)
		public Set<String> set() {
			this.calls++;
			return Set.of("ran");
		}

		@Locked(name = "skip", onTimeout = OnTimeout.SKIP)
		public Map<String, String> map() {
			this.calls++;
			return Map.of("ran", "ran");
		}

		@Locked(name = "skip", onTimeout = OnTimeout.SKIP)
		public Stream<String> stream() {
			this.calls++;
			return Stream.of("ran");
		}

		@Locked(name = "skip", onTimeout = OnTimeout.SKIP)
		public String[] array() {
			this.calls++;
			return new String[] { "ran" };
		}

		@Locked(name = "skip", onTimeout = OnTimeout.SKIP)
		public CompletableFuture<String> future() {
			this.calls++;
			return CompletableFuture.completedFuture("ran");
		}

		/**
		 * Holds its own lock, then meets another that is held: that refusal is not its
		 * own.
		 */
		@Locked(name = "skip-outer", onTimeout = OnTimeout.SKIP)
		public String refusedInside() {
			this.calls++;
			throw new AlreadyLockedException("inner", Duration.ZERO);
		}

	}

	interface Greeter {

		@Locked(name = "greet", key = "#name")
		String greet(String name);

	}

	static class EnglishGreeter implements Greeter {

		@Override
		public String greet(String name) {
			return Lease.current().orElseThrow().id();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BadSyntax {

		@Bean
		BadSyntax.Service badSyntaxService() {
			return new BadSyntax.Service();
		}

		static class Service {

			@Locked(key = "#id +")
			public void run(String id) {
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnknownVariable {

		@Bean
		UnknownVariable.Service unknownVariableService() {
			return new UnknownVariable.Service();
		}

		static class Service {

			@Locked(key = "#idd")
			public void run(String id) {
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnknownBean {

		@Bean
		UnknownBean.Service unknownBeanService() {
			return new UnknownBean.Service();
		}

		static class Service {

			@Locked(key = "@nowhere.name")
			public void run() {
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BadDuration {

		@Bean
		BadDuration.Service badDurationService() {
			return new BadDuration.Service();
		}

		static class Service {

			@Locked(lease = "soon")
			public void run() {
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NegativeWait {

		@Bean
		NegativeWait.Service negativeWaitService() {
			return new NegativeWait.Service();
		}

		static class Service {

			@Locked(waitTime = "${test.wait}")
			public void run() {
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PrimitiveSkip {

		@Bean
		PrimitiveSkip.Service primitiveSkipService() {
			return new PrimitiveSkip.Service();
		}

		static class Service {

			@Locked(onTimeout = OnTimeout.SKIP)
			public int run() {
				return 1;
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FinalMethod {

		@Bean
		FinalMethod.Service finalMethodService() {
			return new FinalMethod.Service();
		}

		static class Service {

			@Locked
			public final void run() {
			}

		}

	}

}
