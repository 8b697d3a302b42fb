package io.phonon.interceptor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.phonon.annotation.AsyncChannel;
import io.phonon.autoconfigure.PhononAutoConfiguration;
import io.phonon.autoconfigure.PhononChannelAutoConfiguration;
import io.phonon.channel.Channel;
import io.phonon.channel.ChannelClosedException;
import io.phonon.channel.Channels;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code @AsyncChannel} through the auto-configured proxy, on the application's task
 * executor.
 */
class AsyncChannelTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PhononAutoConfiguration.class, PhononChannelAutoConfiguration.class,
				TaskExecutionAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withBean(Generators.class);

	@Test
	void theCallerGetsWhatTheBodyPutsThenTheChannelCloses() {
		this.runner.run((context) -> {
			Channel<Integer> squares = context.getBean(Generators.class).counting(5);
			List<Integer> received = new ArrayList<>();
			squares.forEach(received::add);
			assertThat(received).containsExactly(1, 4, 9, 16, 25);
			assertThat(context.getBean(Generators.class).threads()).as("the application's task executor")
				.allMatch((name) -> name.startsWith("task-"));
		});
	}

	@Test
	void theBodyGetsWhatTheCallerPuts() {
		this.runner.run((context) -> {
			Channel<String> echo = context.getBean(Generators.class).echo();
			echo.put("hello");
			assertThat(echo.get()).isEqualTo("HELLO");
			echo.put("again");
			assertThat(echo.get()).isEqualTo("AGAIN");
			echo.close();
			assertThatExceptionOfType(ChannelClosedException.class).isThrownBy(echo::get);
		});
	}

	@Test
	void theBodysExceptionReachesTheCallerThroughTheChannel() {
		this.runner.run((context) -> {
			Channel<String> failing = context.getBean(Generators.class).failing();
			assertThat(failing.get()).isEqualTo("before");
			assertThatExceptionOfType(ChannelClosedException.class).isThrownBy(failing::get)
				.withCauseInstanceOf(IOException.class)
				.satisfies((ex) -> assertThat(ex.getCause()).hasMessage("source gone"));
		});
	}

	@Test
	void runningBodiesAreCounted() {
		this.runner.run((context) -> {
			Channel<String> echo = context.getBean(Generators.class).echo();
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			await().until(() -> meters.get("phonon.channel.coroutines.active").gauge().value() == 1);
			echo.close();
			await().until(() -> meters.get("phonon.channel.coroutines.active").gauge().value() == 0);
		});
	}

	@Test
	void aMethodThatDoesNotReturnAChannelFailsTheStartUp() {
		this.runner.withBean(NotAChannel.class).run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			while (failure.getCause() != null) {
				failure = failure.getCause();
			}
			assertThat(failure).hasMessageContaining("@AsyncChannel on AsyncChannelTests.NotAChannel.numbers()")
				.hasMessageContaining("declare the return type Channel<T>");
		});
	}

	static class Generators {

		private final List<String> threads = new ArrayList<>();

		public List<String> threads() {
			return this.threads;
		}

		@AsyncChannel
		public Channel<Integer> counting(int count) throws InterruptedException {
			this.threads.add(Thread.currentThread().getName());
			Channel<Integer> out = Channels.self();
			for (int i = 1; i <= count; i++) {
				out.put(i * i);
			}
			return out;
		}

		@AsyncChannel(capacity = 0)
		public Channel<String> echo() throws InterruptedException {
			Channel<String> self = Channels.self();
			for (String line : self) {
				self.put(line.toUpperCase());
			}
			return self;
		}

		/**
		 * A rendezvous: "before" reaches the caller before the body fails (an error drops
		 * undelivered values).
		 */
		@AsyncChannel(capacity = 0)
		public Channel<String> failing() throws Exception {
			Channels.<String>self().put("before");
			throw new IOException("source gone");
		}

	}

	static class NotAChannel {

		@AsyncChannel
		public List<Integer> numbers() {
			return List.of();
		}

	}

}
