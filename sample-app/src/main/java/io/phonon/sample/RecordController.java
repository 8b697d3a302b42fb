package io.phonon.sample;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /records/{id}/enrichments} with an {@code enrichment} parameter adds it under the
 * record's lock; {@code GET /records/{id}} shows the record.
 */
@RestController
@RequestMapping("/records")
public class RecordController {

	private final RecordEnricher enricher;

	private final RecordStore store;

	public RecordController(RecordEnricher enricher, RecordStore store) {
		this.enricher = enricher;
		this.store = store;
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
