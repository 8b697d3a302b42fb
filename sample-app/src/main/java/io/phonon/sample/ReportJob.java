package io.phonon.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.phonon.annotation.Locked;
import io.phonon.annotation.OnLeaseLost;
import io.phonon.annotation.OnTimeout;
import io.phonon.lock.Lease;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A scheduled job that must run once per tick even when several instances of the app run.
 * The ticks are on the clock (cron), so every instance fires at the same moment; the
 * instance that gets the lock runs the report, the others find it held and skip the tick.
 * The lock stays held at least {@code sample.report.hold}, longer than the instances'
 * clocks and schedulers disagree, so a late instance still finds it held however quick
 * the report. {@code GET /report} tells how often this instance ran it,
 * {@code GET /report/runs} at which ticks and under which fencing tokens.
 */
@Component
@RestController
public class ReportJob {

	private static final Log logger = LogFactory.getLog(ReportJob.class);

	private final List<Run> runs = new CopyOnWriteArrayList<>();

	private final Duration work;

	public ReportJob(@Value("${sample.report.work:500ms}") Duration work) {
		this.work = work;
	}

	@Scheduled(cron = "${sample.report.cron:*/10 * * * * *}")
	// A report whose lease is lost (a pause past the lease, an engine that stopped
	// answering) is interrupted rather than left running beside the instance that took
	// the lock over. The lock stays held for most of the period even when a report is
	// quick, so that an instance whose scheduler fires late finds it held too.
	@Locked(name = "report", lease = "1m", holdAtLeast = "${sample.report.hold:8s}", onTimeout = OnTimeout.SKIP,
			onLeaseLost = OnLeaseLost.INTERRUPT)
	public void generate() throws InterruptedException {
		Run run = new Run(Instant.now().getEpochSecond(), Lease.current().orElseThrow().token());
		this.runs.add(run);
		logger.info("Report of tick " + run.tick() + " generated under fencing token " + run.token());
		Thread.sleep(this.work.toMillis()); // the slow part of a report
	}

	@GetMapping("/report")
	public int count() {
		return this.runs.size();
	}

	@GetMapping("/report/runs")
	public List<Run> runs() {
		return this.runs;
	}

	/**
	 * One run of the report.
	 *
	 * @param tick the tick it ran for, in seconds since the epoch
	 * @param token the fencing token of its lock
	 */
	public record Run(long tick, long token) {
	}

}
