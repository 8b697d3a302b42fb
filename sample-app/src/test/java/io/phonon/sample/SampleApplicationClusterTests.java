package io.phonon.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

/**
 * The sample app with the {@code redis} and {@code jdbc} profiles: two instances on one engine,
 * one record enriched through both. The record lock is one lock for both instances: its fencing
 * tokens come from one sequence (two in-process locks would each hand out 1, 2). Each instance
 * keeps its own copy of the records, so this shows the lock, not a shared store.
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

	private void twoInstancesShareTheRecordLocks(String profile, String... connection) throws Exception {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--spring.profiles.active=" + profile,
				"--phonon.namespace=sample-" + UUID.randomUUID(), "--sample.enrich.work=100ms"));
		arguments.addAll(List.of(connection));
		String[] args = arguments.toArray(String[]::new);
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

	private String get(String url) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
			.body();
	}

}
