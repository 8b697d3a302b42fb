package io.phonon.sample;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import io.phonon.reference.LastRelease;
import io.phonon.reference.Reference;
import io.phonon.reference.References;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;

/**
 * phonon's own example: two checks of a record (email verification and address lookup)
 * run in parallel, in one instance or in two, each holding a reference to the record
 * while it works and leaving its finding in a shared cache. Whichever finishes last
 * writes the merged record to the store, once.
 */
@Service
public class RecordChecks {

	/** Each check and what it finds. */
	private static final Map<String, String> CHECKS = Map.of("email", "verified", "address", "found");

	private static final String MERGED = "checks merged by last release ";

	private final References references;

	private final RecordStore store;

	private final CheckFindings findings;

	private final AsyncTaskExecutor executor;

	private final Duration work;

	public RecordChecks(References references, RecordStore store, CheckFindings findings,
			@Qualifier("applicationTaskExecutor") AsyncTaskExecutor executor,
			@Value("${sample.checks.work:500ms}") Duration work) {
		this.references = references;
		this.store = store;
		this.findings = findings;
		this.executor = executor;
		this.work = work;
		// Every instance registers the handler: whichever holds the last reference runs
		// it.
		references.onLastRelease("record:*", this::writeMerged);
	}

	/** Starts every check of a record; completes when all released their references. */
	public CompletableFuture<Void> checkAll(String id) {
		return CompletableFuture
			.allOf(CHECKS.keySet().stream().map((check) -> start(id, check)).toArray(CompletableFuture[]::new));
	}

	/**
	 * Takes a reference to the record now, so the record cannot empty before this check
	 * ends, then runs the check in the background.
	 * @return completes when the check released its reference
	 */
	public CompletableFuture<Void> start(String id, String check) {
		String finding = CHECKS.get(check);
		if (finding == null) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"Unknown check '" + check + "': use one of " + new TreeMap<>(CHECKS).keySet());
		}
		Reference record = this.references.acquire("record:" + id);
		return CompletableFuture.runAsync(() -> {
			try (record) {
				sleep(this.work.toMillis() / 2 + ThreadLocalRandom.current().nextLong(this.work.toMillis()));
				this.findings.put(id, check, finding);
				record.markModified();
			}
		}, this.executor);
	}

	/**
	 * The last one out: one write of everything the checks found. Run again after its
	 * runner crashed, it writes nothing twice: the record names the last release that
	 * merged it.
	 */
	private void writeMerged(LastRelease release) {
		String id = release.resource().substring("record:".length());
		Map<String, String> found = this.findings.get(id);
		if (found.isEmpty()) {
			return;
		}
		Record current = this.store.find(id);
		String mergedBy = MERGED + release.id() + ":";
		if (current.enrichments().stream().noneMatch((enrichment) -> enrichment.startsWith(mergedBy))) {
			this.store.save(current.with(
					mergedBy + " " + new TreeMap<>(found) + " from " + release.timesModified() + " modifications",
					current.lastToken()));
		}
		this.findings.remove(id);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
