package io.phonon.sample;

import java.util.concurrent.CompletableFuture;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /records/{id}/enrichments} with an {@code enrichment} parameter adds it
 * under the record's lock; {@code POST /records/{id}/checks} runs two checks in parallel
 * whose last one out writes the merged record once; {@code POST
 * /records/{id}/checks/{check}} starts one of them ({@code email} or {@code address})
 * here, so two instances can each run one; {@code GET /records/{id}} shows the record.
 */
@RestController
@RequestMapping("/records")
public class RecordController {

	private final RecordEnricher enricher;

	private final RecordStore store;

	private final RecordChecks checks;

	public RecordController(RecordEnricher enricher, RecordStore store, RecordChecks checks) {
		this.enricher = enricher;
		this.store = store;
		this.checks = checks;
	}

	@PostMapping("/{id}/checks")
	public CompletableFuture<Record> checkAll(@PathVariable String id) {
		return this.checks.checkAll(id).thenApply((done) -> this.store.find(id));
	}

	/**
	 * Answers once this instance holds its reference to the record; the check runs on.
	 */
	@PostMapping("/{id}/checks/{check}")
	@ResponseStatus(HttpStatus.ACCEPTED)
	public void start(@PathVariable String id, @PathVariable String check) {
		this.checks.start(id, check);
	}

	@PostMapping("/{id}/enrichments")
	public Record enrich(@PathVariable String id, @RequestParam String enrichment) throws InterruptedException {
		return this.enricher.enrich(id, enrichment);
	}

	@GetMapping("/{id}")
	public Record find(@PathVariable String id) {
		return this.store.find(id);
	}

}
