package io.phonon.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.phonon.channel.Channel;
import io.phonon.channel.ChannelClosedException;
import io.phonon.channel.Select;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /channels/fibonacci?count=10}: numbers from a coroutine; {@code GET
 * /channels/pulses?count=6}: two pulses, a fast and a slow one, merged with a select in
 * the order they came.
 */
@RestController
@RequestMapping("/channels")
public class ChannelController {

	private final SpoolExamples examples;

	public ChannelController(SpoolExamples examples) {
		this.examples = examples;
	}

	@GetMapping("/fibonacci")
	public List<Long> fibonacci(@RequestParam(defaultValue = "10") int count) throws InterruptedException {
		List<Long> numbers = new ArrayList<>();
		for (Long number : this.examples.fibonacci(count)) {
			numbers.add(number);
		}
		return numbers;
	}

	@GetMapping("/pulses")
	public List<String> pulses(@RequestParam(defaultValue = "6") int count) throws InterruptedException {
		Channel<String> fast = this.examples.pulse("fast", Duration.ofMillis(20));
		Channel<String> slow = this.examples.pulse("slow", Duration.ofMillis(50));
		List<String> merged = new ArrayList<>();
		try {
			while (merged.size() < count) {
				merged.add(Select.select(fast.onReceive((pulse) -> pulse), slow.onReceive((pulse) -> pulse)));
			}
		}
		catch (ChannelClosedException ex) {
			// a pulse ended early: return what came
		}
		finally {
			fast.close();
			slow.close();
		}
		return merged;
	}

}
