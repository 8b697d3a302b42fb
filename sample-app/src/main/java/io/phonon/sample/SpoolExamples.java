package io.phonon.sample;

import java.time.Duration;

import io.phonon.annotation.AsyncChannel;
import io.phonon.channel.Channel;
import io.phonon.channel.Channels;

import org.springframework.stereotype.Service;

/**
 * spool's examples as coroutines: each method's body runs on the application's task
 * executor and talks to its caller through the channel the caller got.
 */
@Service
public class SpoolExamples {

	/**
	 * Puts the first {@code count} Fibonacci numbers, then ends (which closes the
	 * channel).
	 */
	@AsyncChannel
	public Channel<Long> fibonacci(int count) throws InterruptedException {
		Channel<Long> out = Channels.self();
		long current = 0;
		long next = 1;
		for (int i = 0; i < count; i++) {
			out.put(current);
			long sum = current + next;
			current = next;
			next = sum;
		}
		return out;
	}

	/**
	 * Puts {@code name} every {@code interval}, until the caller closes its end: that
	 * wakes the body whether it waits in {@code get} or, with no one receiving, in
	 * {@code put}, and the {@code ChannelClosedException} it gets ends the body without
	 * an error.
	 */
	@AsyncChannel(capacity = 0)
	public Channel<String> pulse(String name, Duration interval) throws InterruptedException {
		Channel<String> self = Channels.self();
		while (self.get(interval) == null) {
			self.put(name);
		}
		return self;
	}

}
