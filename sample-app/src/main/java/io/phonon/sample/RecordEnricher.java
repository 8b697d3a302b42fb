package io.phonon.sample;

import java.time.Duration;

import io.phonon.annotation.Locked;
import io.phonon.lock.Lease;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Adds information to a record: read, slow lookup, write. Without the lock, two
 * enrichments of one record at once would both read the old record and the second write
 * would erase the first. With {@code @Locked} they run one after the other, per record:
 * other records are not held up.
 */
@Service
public class RecordEnricher {

	private final RecordStore store;

	private final Duration work;

	public RecordEnricher(RecordStore store, @Value("${sample.enrich.work:300ms}") Duration work) {
		this.store = store;
		this.work = work;
	}

	@Locked(name = "records", key = "#id", lease = "10s", waitTime = "5s")
	public Record enrich(String id, String enrichment) throws InterruptedException {
		long token = Lease.current().orElseThrow().token();
		Record current = this.store.find(id);
		Thread.sleep(this.work.toMillis()); // the slow lookup (an address service, say)
		return this.store.save(current.with(enrichment, token));
	}

}
