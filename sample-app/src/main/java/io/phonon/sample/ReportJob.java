package io.phonon.sample;

import java.util.concurrent.atomic.AtomicInteger;

import io.phonon.annotation.Locked;
import io.phonon.annotation.OnTimeout;
import io.phonon.lock.Lease;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A scheduled job that must run once per tick even when several instances of the app run: the
 * instance that gets the lock runs it, the others skip the tick. {@code GET /report} tells how
 * often this instance ran it.
 */
@Component
@RestController
public class ReportJob {

	private static final Log logger = LogFactory.getLog(ReportJob.class);

	private final AtomicInteger runs = new AtomicInteger();

	@Scheduled(fixedDelayString = "${sample.report.interval:10s}", initialDelayString = "${sample.report.interval:10s}")
	@Locked(name = "report", lease = "1m", onTimeout = OnTimeout.SKIP)
	public void generate() {
		int run = this.runs.incrementAndGet();
		logger.info("Report #" + run + " generated under fencing token " + Lease.current().orElseThrow().token());
	}

	@GetMapping("/report")
	public int runs() {
		return this.runs.get();
	}

}
