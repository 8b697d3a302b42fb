package io.phonon.sample;

import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/** The records of this instance only. */
@Component
@Profile("!redis")
class MemoryRecordStore implements RecordStore {

	private final ConcurrentHashMap<String, Record> records = new ConcurrentHashMap<>();

	@Override
	public Record find(String id) {
		return this.records.getOrDefault(id, Record.empty(id));
	}

	@Override
	public Record save(Record record) {
		return this.records.compute(record.id(), (id, current) -> {
			if (current != null && current.lastToken() > record.lastToken()) {
				throw new StaleWriteException(id, record.lastToken(), current.lastToken());
			}
			return record;
		});
	}

}
