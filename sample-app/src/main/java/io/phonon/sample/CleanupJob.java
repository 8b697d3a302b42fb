package io.phonon.sample;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.phonon.lock.Lease;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A job written for ShedLock, unchanged: with ShedLock on the class path, Phonon's
 * auto-configured {@code PhononLockProvider} runs {@code @SchedulerLock} on Phonon's
 * locks (the configured backend, its meters, the {@code phonon} endpoint), and the job
 * gets a fencing token. {@code lockAtLeastFor} keeps the lock after the job returns, so a
 * quick job runs once per tick even in an instance whose tick comes late.
 * {@code GET /cleanup} lists the tokens of this instance's runs.
 */
@Component
@RestController
public class CleanupJob {

	private static final Log logger = LogFactory.getLog(CleanupJob.class);

	private final List<Long> tokens = new CopyOnWriteArrayList<>();

	@Scheduled(cron = "${sample.cleanup.cron:0 * * * * *}")
	@SchedulerLock(name = "cleanup", lockAtLeastFor = "${sample.cleanup.hold:10s}")
	public void cleanUp() {
		long token = Lease.current().orElseThrow().token();
		this.tokens.add(token);
		logger.info("Cleaned up under fencing token " + token);
	}

	@GetMapping("/cleanup")
	public List<Long> tokens() {
		return this.tokens;
	}

}
