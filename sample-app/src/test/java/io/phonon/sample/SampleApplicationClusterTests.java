package io.phonon.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import io.phonon.testsupport.TestDatabases;
import io.phonon.testsupport.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample app with the {@code redis} and {@code jdbc} profiles: two instances on one
 * engine, one record enriched through both. The record lock is one lock for both
 * instances: its fencing tokens come from one sequence (two in-process locks would each
 * hand out 1, 2). With the {@code jdbc} profile each instance keeps its own copy of the
 * records, so this shows the lock, not a shared store; the {@code redis} profile shares
 * the records and the checks' findings.
 */
class SampleApplicationClusterTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void twoInstancesShareTheRecordLocksThroughRedis() throws Exception {
		withTwoInstances("redis", redis(), (one, two) -> shareTheRecordLocks("redis", one, two));
	}

	@Test
	void twoInstancesShareTheRecordLocksThroughPostgres() throws Exception {
		withTwoInstances("jdbc", List.of("--spring.datasource.url=" + TestDatabases.postgresUrl()),
				(one, two) -> shareTheRecordLocks("jdbc", one, two));
	}

	/**
	 * phonon's example across instances: the email check runs in one, the address check
	 * in the other; whichever finishes last writes the merged record, once, to the store
	 * both share.
	 */
	@Test
	void twoInstancesRunTheChecksOfOneRecordAndTheLastOneOutWritesItOnce() throws Exception {
		withTwoInstances("redis", redis(), (one, two) -> {
			assertThat(post(one + "/records/31/checks/email").statusCode()).isEqualTo(202);
			assertThat(post(two + "/records/31/checks/address").statusCode()).isEqualTo(202);
			assertThat(post(one + "/records/31/checks/phone").statusCode()).isEqualTo(400);
			await().atMost(Duration.ofSeconds(30)).until(() -> get(one + "/records/31").contains("checks merged"));
			String record = get(two + "/records/31");
			assertThat(record.split("checks merged", -1)).as("written once").hasSize(2);
			assertThat(record).contains("{address=found, email=verified} from 2 modifications");
			assertThat(get(one + "/records/31")).as("one store for both instances").isEqualTo(record);
			assertThat(get(one + "/actuator/prometheus") + get(two + "/actuator/prometheus"))
				.as("one instance ran the last release")
				.containsOnlyOnce("phonon_reference_last_release_total{outcome=\"success\"} 1.0");
		});
	}

	/** Visits counted in either instance land in one shared counter. */
	@Test
	void twoInstancesCountVisitsInOneSharedCounter() throws Exception {
		withTwoInstances("redis", redis(), (one, two) -> {
			List<String> counts = inParallel(List.of(one, two, one, two, one),
					(base) -> HttpRequest.newBuilder(URI.create(base + "/visits"))
						.POST(HttpRequest.BodyPublishers.noBody())
						.build());
			assertThat(counts).as("each visit got its own number").containsExactlyInAnyOrder("1", "2", "3", "4", "5");
			assertThat(get(two + "/visits")).isEqualTo("5");
		});
	}

	/**
	 * The slow report: computed once for both instances, which then serve the same one.
	 */
	@Test
	void twoInstancesComputeASlowReportOnceBetweenThem() throws Exception {
		List<String> settings = new ArrayList<>(redis());
		settings.add("--sample.sales-report.work=500ms");
		withTwoInstances("redis", settings, (one, two) -> {
			List<String> reports = inParallel(List.of(one, two, one, two),
					(base) -> HttpRequest.newBuilder(URI.create(base + "/sales-reports/2026-10")).build());
			assertThat(new HashSet<>(reports)).as("one report (its random daily totals included) for all four requests")
				.hasSize(1);
			assertThat(get(one + "/actuator/prometheus") + get(two + "/actuator/prometheus"))
				.as("one computation between the two instances")
				.containsOnlyOnce("phonon_dogpile_get_total{name=\"sales-report\",result=\"miss\"} 1.0");
		});
	}

	private void shareTheRecordLocks(String profile, String one, String two) throws Exception {
		List<String> records = inParallel(List.of(one, two, one, two),
				(base) -> HttpRequest.newBuilder(URI.create(base + "/records/9/enrichments"))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString("enrichment=from-" + base.hashCode()))
					.build());
		assertThat(records.stream().map((record) -> record.replaceAll(".*\"lastToken\":(\\d+).*", "$1")))
			.as("four tokens from one sequence")
			.doesNotHaveDuplicates()
			.hasSize(4);
		assertThat(get(one + "/actuator/prometheus")).contains(
				"phonon_lock_acquire_seconds_count{backend=\"" + profile + "\",name=\"records\",outcome=\"acquired\"}");
		assertThat(get(one + "/actuator/health")).contains("\"status\":\"UP\"");
	}

	/**
	 * Starts two instances of the sample app on one engine, and runs a test against both.
	 */
	private static void withTwoInstances(String profile, List<String> settings, TwoInstances test) throws Exception {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--spring.profiles.active=" + profile,
				"--phonon.namespace=sample-" + UUID.randomUUID(), "--sample.enrich.work=100ms",
				"--sample.checks.work=300ms"));
		arguments.addAll(settings);
		String[] args = arguments.toArray(String[]::new);
		try (ConfigurableApplicationContext first = SpringApplication.run(SampleApplication.class, args);
				ConfigurableApplicationContext second = SpringApplication.run(SampleApplication.class, args)) {
			test.run(base(first), base(second));
		}
	}

	private static List<String> redis() {
		LettuceConnectionFactory redis = TestRedis.connectionFactory();
		return List.of("--spring.data.redis.host=" + redis.getHostName(),
				"--spring.data.redis.port=" + redis.getPort());
	}

	/**
	 * Sends one request per base URL at once; answers the bodies, each of a 200 response.
	 */
	private List<String> inParallel(List<String> bases, Function<String, HttpRequest> request) throws Exception {
		List<CompletableFuture<HttpResponse<String>>> responses = bases.stream()
			.map((base) -> this.http.sendAsync(request.apply(base), HttpResponse.BodyHandlers.ofString()))
			.toList();
		List<String> bodies = new ArrayList<>();
		for (CompletableFuture<HttpResponse<String>> response : responses) {
			assertThat(response.get().statusCode()).isEqualTo(200);
			bodies.add(response.get().body());
		}
		return bodies;
	}

	@FunctionalInterface
	private interface TwoInstances {

		void run(String one, String two) throws Exception;

	}

	private static String base(ConfigurableApplicationContext context) {
		return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
	}

	private HttpResponse<String> post(String url) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private String get(String url) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
			.body();
	}

}
