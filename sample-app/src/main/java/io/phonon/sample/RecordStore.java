package io.phonon.sample;

import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * Stands in for the database. Like a real store protected by a fenced lock, it refuses a write
 * whose fencing token is older than the last one it accepted: a writer whose lease ran out (a
 * long GC pause, say) cannot overwrite the work of the holder that came after it.
 */
@Component
public class RecordStore {

	private final ConcurrentHashMap<String, Record> records = new ConcurrentHashMap<>();

	public Record find(String id) {
		return this.records.getOrDefault(id, Record.empty(id));
	}

	public Record save(Record record) {
		return this.records.compute(record.id(), (id, current) -> {
			if (current != null && current.lastToken() > record.lastToken()) {
				throw new StaleWriteException(id, record.lastToken(), current.lastToken());
			}
			return record;
		});
	}

	/** A write carried a fencing token older than the store has already seen. */
	public static class StaleWriteException extends RuntimeException {

		StaleWriteException(String id, long token, long seen) {
			super("Refused write to record " + id + " with fencing token " + token + ": token " + seen
					+ " already wrote it");
		}

	}

}
