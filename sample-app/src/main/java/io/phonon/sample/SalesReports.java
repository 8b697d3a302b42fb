package io.phonon.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.phonon.annotation.Dogpile;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Computes sales reports, which takes seconds. Under {@code @Dogpile} the first request
 * for a month computes it while concurrent ones wait for that result; for the next
 * {@code sample.sales-report.fresh} every request gets it at once; then one request (in
 * the whole cluster, with the {@code redis} profile) recomputes it while every other
 * request keeps getting the previous report. With {@code beta = 1}, under steady traffic
 * the recomputation usually starts before the report expires, so nobody sees a stale one.
 */
@Service
public class SalesReports {

	private final AtomicInteger computations = new AtomicInteger();

	private final Duration work;

	public SalesReports(@Value("${sample.sales-report.work:3s}") Duration work) {
		this.work = work;
	}

	@Dogpile(name = "sales-report", key = "#month", expireAfter = "${sample.sales-report.fresh:30s}", maxStale = "1h",
			beta = 1.0)
	public SalesReport monthly(String month) throws InterruptedException {
		Thread.sleep(this.work.toMillis()); // the slow part: a warehouse query, say
		return new SalesReport(month, this.computations.incrementAndGet(), Instant.now(),
				IntStream.range(0, 30).mapToObj((day) -> ThreadLocalRandom.current().nextInt(100, 1000)).toList());
	}

}
