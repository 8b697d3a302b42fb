package io.phonon.sample;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import io.phonon.reference.LastRelease;
import io.phonon.reference.Reference;
import io.phonon.reference.References;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;

/**
 * phonon's own example: two checks of a record (email verification and address lookup) run in
 * parallel, each holding a reference to the record while it works and leaving its finding in a
 * shared cache. Whichever finishes last writes the merged record to the store, once.
 */
@Service
public class RecordChecks {

	private final @Nullable References references;

	private final RecordStore store;

	private final AsyncTaskExecutor executor;

	private final Duration work;

	/** The findings not yet written, per record: what a shared cache would hold. */
	private final Map<String, Map<String, String>> findings = new ConcurrentHashMap<>();

	public RecordChecks(ObjectProvider<References> references, RecordStore store,
			@Qualifier("applicationTaskExecutor") AsyncTaskExecutor executor,
			@Value("${sample.checks.work:500ms}") Duration work) {
		// References run on the memory, redis and jdbc backends; the file backend has none yet.
		this.references = references.getIfAvailable();
		this.store = store;
		this.executor = executor;
		this.work = work;
		if (this.references != null) {
			this.references.onLastRelease("record:*", this::writeMerged);
		}
	}

	/** Starts both checks of a record; completes when both released their references. */
	public CompletableFuture<Void> check(String id) {
		if (this.references == null) {
			throw new ResponseStatusException(HttpStatus.NOT_IMPLEMENTED,
					"References do not run on the file backend yet; use memory, redis or jdbc");
		}
		return CompletableFuture.allOf(
				CompletableFuture.runAsync(() -> runCheck(id, "email", "verified"), this.executor),
				CompletableFuture.runAsync(() -> runCheck(id, "address", "found"), this.executor));
	}

	private void runCheck(String id, String check, String finding) {
		try (Reference record = Objects.requireNonNull(this.references).acquire("record:" + id)) {
			sleep(this.work.toMillis() / 2 + ThreadLocalRandom.current().nextLong(this.work.toMillis()));
			this.findings.computeIfAbsent(id, (key) -> new ConcurrentHashMap<>()).put(check, finding);
			record.markModified();
		}
	}

	/** The last one out: one write of everything the checks found. */
	private void writeMerged(LastRelease release) {
		String id = release.resource().substring("record:".length());
		Map<String, String> found = this.findings.remove(id);
		if (found == null) {
			return; // written already: a re-run after a crash finds nothing left to write
		}
		Record current = this.store.find(id);
		this.store.save(current.with("checks merged: " + new TreeMap<>(found) + " from " + release.timesModified()
				+ " modifications", current.lastToken()));
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
