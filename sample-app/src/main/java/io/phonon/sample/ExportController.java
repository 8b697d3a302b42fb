package io.phonon.sample;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /exports/{month}} and {@code GET /exchange-rates/{currency}}: handlers that
 * return a {@code Mono}, which Spring MVC subscribes without holding a request thread.
 */
@RestController
public class ExportController {

	private final Exports exports;

	public ExportController(Exports exports) {
		this.exports = exports;
	}

	@PostMapping("/exports/{month}")
	public Mono<String> export(@PathVariable String month) {
		return this.exports.export(month);
	}

	@GetMapping("/exchange-rates/{currency}")
	public Mono<Exports.ExchangeRates> rates(@PathVariable String currency) {
		return this.exports.rates(currency);
	}

}
