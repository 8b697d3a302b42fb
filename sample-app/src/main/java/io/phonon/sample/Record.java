package io.phonon.sample;

import java.util.ArrayList;
import java.util.List;

/**
 * A customer record that enrichment steps add to.
 *
 * @param id the record's id
 * @param enrichments what was added, in order
 * @param lastToken the fencing token of the last write
 */
public record Record(String id, List<String> enrichments, long lastToken) {

	static Record empty(String id) {
		return new Record(id, List.of(), 0);
	}

	Record with(String enrichment, long token) {
		List<String> all = new ArrayList<>(this.enrichments);
		all.add(enrichment);
		return new Record(this.id, List.copyOf(all), token);
	}

}
