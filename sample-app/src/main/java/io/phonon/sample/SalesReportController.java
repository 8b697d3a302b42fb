package io.phonon.sample;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /sales-reports/{month}}: the month's report, from the dogpile cache. */
@RestController
public class SalesReportController {

	private final SalesReports reports;

	public SalesReportController(SalesReports reports) {
		this.reports = reports;
	}

	@GetMapping("/sales-reports/{month}")
	public SalesReport monthly(@PathVariable String month) throws InterruptedException {
		return this.reports.monthly(month);
	}

}
