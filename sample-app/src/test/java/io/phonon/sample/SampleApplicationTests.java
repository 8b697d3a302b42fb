package io.phonon.sample;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.phonon.dogpile.Dogpiles;
import io.phonon.lock.Lease;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import io.phonon.reference.Reference;
import io.phonon.reference.References;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample app as a user meets it: a real server on a free port, concurrent HTTP
 * requests, the scheduled job, and the actuator.
 */
class SampleApplicationTests {

	private static ConfigurableApplicationContext context;

	private static String base;

	private final HttpClient http = HttpClient.newHttpClient();

	@BeforeAll
	static void start() {
		context = SpringApplication.run(SampleApplication.class, "--server.port=0", "--sample.report.cron=* * * * * *",
				"--sample.cleanup.cron=* * * * * *", "--sample.cleanup.hold=1s", "--sample.enrich.work=200ms",
				"--sample.checks.work=200ms", "--sample.sales-report.work=300ms", "--sample.export.work=300ms");
		base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
	}

	@AfterAll
	static void stop() {
		context.close();
	}

	@Test
	void concurrentEnrichmentsOfOneRecordAreAllKept() throws Exception {
		List<CompletableFuture<HttpResponse<String>>> requests = List
			.of("email verified", "address found", "phone checked")
			.stream()
			.map((enrichment) -> this.http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/records/7/enrichments"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers
					.ofString("enrichment=" + URLEncoder.encode(enrichment, StandardCharsets.UTF_8)))
				.build(), HttpResponse.BodyHandlers.ofString()))
			.toList();
		for (CompletableFuture<HttpResponse<String>> request : requests) {
			assertThat(request.get().statusCode()).isEqualTo(200);
		}
		assertThat(get("/records/7")).contains("email verified", "address found", "phone checked");
	}

	@Test
	void concurrentReactiveExportsOfAMonthRunOneAtATimeAndRatesAreFetchedOnce() throws Exception {
		List<CompletableFuture<HttpResponse<String>>> exports = List.of(1, 2, 3)
			.stream()
			.map((i) -> this.http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/exports/2026-10"))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString()))
			.toList();
		List<String> bodies = exports.stream().map(CompletableFuture::join).map(HttpResponse::body).toList();
		assertThat(bodies).allMatch((body) -> body.startsWith("export of 2026-10 written under fencing token "))
			.as("one lock holder after another, each with its own token")
			.doesNotHaveDuplicates();
		assertThat(get("/exchange-rates/EUR")).contains("\"fetch\":1");
		assertThat(get("/exchange-rates/EUR")).contains("\"fetch\":1");
	}

	@Test
	void parallelChecksOfARecordAreWrittenOnceByTheLastOneOut() throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(base + "/records/21/checks"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		String record = get("/records/21");
		assertThat(record.split("checks merged", -1)).as("written once").hasSize(2);
		assertThat(record).contains("address=found", "email=verified", "from 2 modifications");
		assertThat(get("/actuator/prometheus")).contains("phonon_reference_last_release_total{outcome=\"success\"} ");
	}

	@Test
	void thePhononEndpointShowsTheBackendTheProcessAndTheReferencesHeld() throws Exception {
		References references = context.getBean(References.class);
		try (Reference reference = references.acquire("record:22")) {
			assertThat(get("/actuator/phonon")).contains("\"backend\":\"memory\"")
				.contains("\"process\":\"" + references.processId() + "\"")
				.contains("\"record:22\":1");
		}
		assertThat(get("/actuator/phonon")).doesNotContain("record:22");
	}

	@Test
	void concurrentRequestsForASlowReportComputeItOnce() throws Exception {
		List<CompletableFuture<HttpResponse<String>>> requests = java.util.stream.IntStream.range(0, 8)
			.mapToObj((i) -> this.http.sendAsync(
					HttpRequest.newBuilder(URI.create(base + "/sales-reports/2026-11")).build(),
					HttpResponse.BodyHandlers.ofString()))
			.toList();
		for (CompletableFuture<HttpResponse<String>> request : requests) {
			assertThat(request.get().statusCode()).isEqualTo(200);
			assertThat(request.get().body()).contains("\"month\":\"2026-11\"", "\"computation\":1,");
		}
		assertThat(get("/sales-reports/2026-11")).contains("\"computation\":1,");
		assertThat(get("/actuator/prometheus"))
			.contains("phonon_dogpile_get_total{name=\"sales-report\",result=\"miss\"} 1.0")
			.contains("phonon_dogpile_get_total{name=\"sales-report\",result=\"wait\"} 7.0")
			.contains("phonon_dogpile_regenerate_seconds_count{name=\"sales-report\",outcome=\"success\"} 1");
	}

	@Test
	void spoolsExamplesRunAsCoroutines() {
		assertThat(get("/channels/fibonacci?count=10")).isEqualTo("[0,1,1,2,3,5,8,13,21,34]");
		String pulses = get("/channels/pulses?count=8");
		assertThat(pulses).contains("fast").contains("slow");
		assertThat(pulses.split(",")).hasSize(8);
		// The controller closed both pulses, parked in put or in get: both bodies end.
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(
					() -> assertThat(get("/actuator/prometheus")).contains("phonon_channel_coroutines_active 0.0"));
	}

	@Test
	void visitsAreCountedInASharedCounter() throws Exception {
		long before = Long.parseLong(get("/visits"));
		HttpResponse<String> visit = this.http.send(
				HttpRequest.newBuilder(URI.create(base + "/visits")).POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(Long.parseLong(visit.body())).isEqualTo(before + 1);
		assertThat(get("/actuator/prometheus")).contains("phonon_atom_swap_seconds_count{name=\"visits\"}");
	}

	@Test
	void scheduledReportRunsThroughTheLockAndTheMetersShowIt() {
		await().atMost(Duration.ofSeconds(30)).until(() -> Integer.parseInt(get("/report")) >= 2);
		String prometheus = get("/actuator/prometheus");
		assertThat(prometheus).containsPattern(
				"phonon_lock_acquire_seconds_count\\{backend=\"memory\",name=\"report\",outcome=\"acquired\"[^}]*\\} [1-9]")
			.contains("phonon_lock_active_seconds_count{backend=\"memory\",name=\"report\"}")
			.contains("phonon_lock_lost_total{backend=\"memory\",name=\"report\"} 0");
		assertThat(get("/actuator/metrics/phonon.lock.acquire")).contains("\"name\":\"phonon.lock.acquire\"");
	}

	@Test
	void theActuatorShowsTheHeldLocksTheHealthAndEveryMeterOfTheDesign() throws Exception {
		try (Lease held = context.getBean(LockService.class)
			.acquire("invoice:2026-11", LockOptions.defaults().withName("invoice"))) {
			assertThat(get("/actuator/phonon")).contains("\"backend\":\"memory\"")
				.containsPattern("\"locks\":\\[\\{\"id\":\"invoice:2026-11\",\"token\":" + held.token()
						+ ",\"since\":\"[^\"]+\",\"expiresAt\":\"[^\"]+\"\\}");
		}
		assertThat(get("/actuator/phonon")).doesNotContain("invoice:2026-11");
		assertThat(get("/actuator/health")).contains("\"status\":\"UP\"").contains("\"phonon\":{\"status\":\"UP\"}");

		// One use of each primitive, so that each meter has been registered.
		this.http.send(
				HttpRequest.newBuilder(URI.create(base + "/visits")).POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
		this.http.send(HttpRequest.newBuilder(URI.create(base + "/records/23/checks"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
		// Its own cache: the sales reports' counts are another test's to check.
		context.getBean(Dogpiles.class).cache("actuator-check", String.class).get("key", () -> "value");
		get("/channels/fibonacci?count=3");
		await().atMost(Duration.ofSeconds(30)).until(() -> Integer.parseInt(get("/report")) >= 1);
		// DESIGN.md's meters, as Prometheus names them.
		assertThat(get("/actuator/prometheus")).contains("phonon_lock_acquire_seconds_count{",
				"phonon_lock_active_seconds_count{", "phonon_lock_lost_total{", "phonon_reference_held{",
				"phonon_reference_last_release_total{", "phonon_dogpile_get_total{",
				"phonon_dogpile_regenerate_seconds_count{", "phonon_atom_swap_seconds_count{",
				"phonon_atom_retries_total{", "phonon_channel_coroutines_active ");
	}

	@Test
	void aShedLockJobRunsOnPhononsLocksWithAFencingToken() {
		await().atMost(Duration.ofSeconds(30)).until(() -> get("/cleanup").matches("\\[\\d+,\\d+.*"));
		String[] tokens = get("/cleanup").replaceAll("[\\[\\]]", "").split(",");
		assertThat(Long.parseLong(tokens[1])).isGreaterThan(Long.parseLong(tokens[0]));
		assertThat(get("/actuator/prometheus")).containsPattern(
				"phonon_lock_acquire_seconds_count\\{backend=\"memory\",name=\"cleanup\",outcome=\"acquired\"[^}]*\\} [1-9]");
	}

	private String get(String path) {
		try {
			HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			return response.body();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
