package io.phonon.sample;

import io.phonon.atom.Atoms;
import io.phonon.atom.Counter;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /visits} counts a visit in a shared counter, {@code GET /visits} reads it:
 * one count for every instance with the {@code redis} (or {@code jdbc}) profile.
 */
@RestController
public class VisitsController {

	private final Counter visits;

	public VisitsController(Atoms atoms) {
		this.visits = atoms.counter("visits");
	}

	@PostMapping("/visits")
	public long visit() {
		return this.visits.incrementAndGet();
	}

	@GetMapping("/visits")
	public long visits() {
		Long count = this.visits.get();
		return (count != null) ? count : 0;
	}

}
