package io.phonon.sample;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.phonon.annotation.Dogpile;
import io.phonon.annotation.Locked;
import io.phonon.lock.ReactiveLease;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Reactive methods under Phonon's annotations: the lock and the cache follow the
 * subscription, and no Reactor thread waits for the engine. An export of a month runs in
 * one request at a time across the cluster, holding the lock until its {@code Mono}
 * completes (or the client goes away, which cancels it and releases the lock). Exchange
 * rates come from a dogpile cache: one request regenerates them, every other one gets the
 * current rates at once.
 */
@Service
public class Exports {

	private final AtomicInteger rateFetches = new AtomicInteger();

	private final Duration work;

	public Exports(@Value("${sample.export.work:2s}") Duration work) {
		this.work = work;
	}

	@Locked(name = "export", key = "#month", waitTime = "1m")
	public Mono<String> export(String month) {
		return ReactiveLease.current()
			.delayElement(this.work) // the slow part: streaming the month's rows out, say
			.map((lease) -> "export of " + month + " written under fencing token " + lease.token());
	}

	@Dogpile(name = "exchange-rates", key = "#currency", expireAfter = "30s", maxStale = "1h")
	public Mono<ExchangeRates> rates(String currency) {
		return Mono.fromCallable(() -> new ExchangeRates(currency, this.rateFetches.incrementAndGet()))
			.delayElement(this.work.dividedBy(4)); // a remote call
	}

	/** Rates for one currency, numbered by the fetch that got them. */
	public record ExchangeRates(String currency, int fetch) {
	}

}
