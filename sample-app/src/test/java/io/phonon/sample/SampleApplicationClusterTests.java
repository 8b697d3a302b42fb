package io.phonon.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.phonon.testsupport.TestDatabases;
import io.phonon.testsupport.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample app with the {@code redis} and {@code jdbc} profiles: two instances on one engine,
 * one record enriched through both. The record lock is one lock for both instances: its fencing
 * tokens come from one sequence (two in-process locks would each hand out 1, 2). With the
 * {@code jdbc} profile each instance keeps its own copy of the records, so this shows the lock,
 * not a shared store; the {@code redis} profile shares the records and the checks' findings.
 */
class SampleApplicationClusterTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void twoInstancesShareTheRecordLocksThroughRedis() throws Exception {
		LettuceConnectionFactory redis = TestRedis.connectionFactory();
		twoInstancesShareTheRecordLocks("redis", "--spring.data.redis.host=" + redis.getHostName(),
				"--spring.data.redis.port=" + redis.getPort());
	}

	@Test
	void twoInstancesShareTheRecordLocksThroughPostgres() throws Exception {
		String url = TestDatabases.postgresUrl();
		twoInstancesShareTheRecordLocks("jdbc", "--spring.datasource.url=" + url);
	}

	/**
	 * phonon's example across instances: the email check runs in one, the address check in the
	 * other; whichever finishes last writes the merged record, once, to the store both share.
	 */
	@Test
	void twoInstancesRunTheChecksOfOneRecordAndTheLastOneOutWritesItOnce() throws Exception {
		LettuceConnectionFactory redis = TestRedis.connectionFactory();
		String[] args = arguments("redis", "--spring.data.redis.host=" + redis.getHostName(),
				"--spring.data.redis.port=" + redis.getPort());
		try (ConfigurableApplicationContext first = SpringApplication.run(SampleApplication.class, args);
				ConfigurableApplicationContext second = SpringApplication.run(SampleApplication.class, args)) {
			String one = base(first);
			String two = base(second);
			assertThat(post(one + "/records/31/checks/email").statusCode()).isEqualTo(202);
			assertThat(post(two + "/records/31/checks/address").statusCode()).isEqualTo(202);
			HttpResponse<String> unknown = post(one + "/records/31/checks/phone");
			assertThat(unknown.statusCode()).isEqualTo(400);
			await().atMost(Duration.ofSeconds(30)).until(() -> get(one + "/records/31").contains("checks merged"));
			String record = get(two + "/records/31");
			assertThat(record.split("checks merged", -1)).as("written once").hasSize(2);
			assertThat(record).contains("{address=found, email=verified} from 2 modifications");
			assertThat(get(one + "/records/31")).as("one store for both instances").isEqualTo(record);
			String lastRelease = "phonon_reference_last_release_total{outcome=\"success\"} 1.0";
			assertThat(get(one + "/actuator/prometheus") + get(two + "/actuator/prometheus"))
				.as("one instance ran the last release")
				.containsOnlyOnce(lastRelease);
		}
	}

	/** The slow report: computed once for both instances, which then serve the same one. */
	@Test
	void twoInstancesComputeASlowReportOnceBetweenThem() throws Exception {
		LettuceConnectionFactory redis = TestRedis.connectionFactory();
		String[] args = arguments("redis", "--spring.data.redis.host=" + redis.getHostName(),
				"--spring.data.redis.port=" + redis.getPort(), "--sample.sales-report.work=500ms");
		try (ConfigurableApplicationContext first = SpringApplication.run(SampleApplication.class, args);
				ConfigurableApplicationContext second = SpringApplication.run(SampleApplication.class, args)) {
			var requests = java.util.stream.Stream.of(base(first), base(second), base(first), base(second))
				.map((base) -> this.http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/sales-reports/2026-10")).build(),
						HttpResponse.BodyHandlers.ofString()))
				.toList();
			java.util.Set<String> reports = new java.util.HashSet<>();
			for (var request : requests) {
				assertThat(request.get().statusCode()).isEqualTo(200);
				reports.add(request.get().body());
			}
			assertThat(reports).as("one report (its random daily totals included) for all four requests").hasSize(1);
			String misses = "phonon_dogpile_get_total{name=\"sales-report\",result=\"miss\"} 1.0";
			assertThat(get(base(first) + "/actuator/prometheus") + get(base(second) + "/actuator/prometheus"))
				.as("one computation between the two instances")
				.containsOnlyOnce(misses);
		}
	}

	private static String[] arguments(String profile, String... connection) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--spring.profiles.active=" + profile,
				"--phonon.namespace=sample-" + UUID.randomUUID(), "--sample.enrich.work=100ms",
				"--sample.checks.work=300ms"));
		arguments.addAll(List.of(connection));
		return arguments.toArray(String[]::new);
	}

	private void twoInstancesShareTheRecordLocks(String profile, String... connection) throws Exception {
		String[] args = arguments(profile, connection);
		try (ConfigurableApplicationContext first = SpringApplication.run(SampleApplication.class, args);
				ConfigurableApplicationContext second = SpringApplication.run(SampleApplication.class, args)) {
			String one = base(first);
			String two = base(second);
			var requests = java.util.stream.Stream.of(one, two, one, two)
				.map((base) -> this.http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/records/9/enrichments"))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString("enrichment=from-" + base.hashCode()))
					.build(), HttpResponse.BodyHandlers.ofString()))
				.toList();
			java.util.Set<String> tokens = new java.util.HashSet<>();
			for (var request : requests) {
				HttpResponse<String> response = request.get();
				assertThat(response.statusCode()).isEqualTo(200);
				tokens.add(response.body().replaceAll(".*\"lastToken\":(\\d+).*", "$1"));
			}
			assertThat(tokens).hasSize(4);
			assertThat(get(one + "/actuator/prometheus"))
				.contains("phonon_lock_acquire_seconds_count{backend=\"" + profile
						+ "\",name=\"records\",outcome=\"acquired\"}");
			assertThat(get(one + "/actuator/health")).contains("\"status\":\"UP\"");
		}
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
