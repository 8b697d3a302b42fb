package io.phonon.sample;

/**
 * Stands in for the database. Like a real store protected by a fenced lock, it refuses a
 * write whose fencing token is older than the last one it accepted: a writer whose lease
 * ran out (a long GC pause, say) cannot overwrite the work of the holder that came after
 * it.
 * <p>
 * {@link MemoryRecordStore} keeps the records of one instance; with the {@code redis}
 * profile, {@link RedisRecordStore} keeps them in Redis, shared by every instance.
 */
public interface RecordStore {

	/**
	 * Returns a record, empty if it was never written.
	 * @param id the record's id
	 * @return the record
	 */
	Record find(String id);

	/**
	 * Writes a record, unless a write with a newer fencing token came first.
	 * @param record the record
	 * @return the record
	 * @throws StaleWriteException if the store has seen a newer token for this record
	 */
	Record save(Record record);

	/** A write carried a fencing token older than the store has already seen. */
	class StaleWriteException extends RuntimeException {

		StaleWriteException(String id, long token, long seen) {
			super("Refused write to record " + id + " with fencing token " + token + ": token " + seen
					+ " already wrote it");
		}

	}

}
