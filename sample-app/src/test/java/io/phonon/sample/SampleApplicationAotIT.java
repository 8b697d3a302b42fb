package io.phonon.sample;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged sample app, AOT-processed at build time ({@code spring-boot:process-aot}),
 * started in AOT mode as a user would run it: the bean definitions Phonon's
 * auto-configuration produced at build time work, and so do a locked method, a dogpiled
 * one, a coroutine and the endpoint. GraalVM is not available here, so the native image
 * itself is not built.
 */
class SampleApplicationAotIT {

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void startsInAotModeAndServesEveryPrimitive() throws Exception {
		Path log = Files.createTempFile("phonon-sample-aot-", ".log");
		int port = freePort();
		Process app = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Dspring.aot.enabled=true", "-jar", jar().toString(), "--server.port=" + port))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			await().atMost(Duration.ofMinutes(2))
				.until(() -> Files.readString(log).contains("Started SampleApplication") || !app.isAlive());
			assertThat(Files.readString(log)).as("the sample app's log, %s", log)
				.contains("Starting AOT-processed SampleApplication")
				.contains("Started SampleApplication");
			String base = "http://127.0.0.1:" + port;
			assertThat(send(HttpRequest.newBuilder(URI.create(base + "/records/7/enrichments?enrichment=email"))
				.POST(HttpRequest.BodyPublishers.noBody()))).contains("email");
			assertThat(send(HttpRequest.newBuilder(URI.create(base + "/sales-reports/2026-11")))).contains("2026-11");
			assertThat(send(HttpRequest.newBuilder(URI.create(base + "/channels/fibonacci?count=5"))))
				.isEqualTo("[0,1,1,2,3]");
			assertThat(send(HttpRequest.newBuilder(URI.create(base + "/actuator/phonon"))))
				.contains("\"backend\":\"memory\"");
		}
		finally {
			app.destroy();
			app.waitFor();
		}
	}

	private String send(HttpRequest.Builder request) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.body();
	}

	/** The repackaged jar, which holds the classes that AOT processing generated. */
	private static Path jar() {
		File[] jars = new File("target")
			.listFiles((directory, name) -> name.startsWith("phonon-sample-app-") && name.endsWith(".jar"));
		assertThat(jars).as("the packaged sample app in target/").hasSize(1);
		return jars[0].toPath();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
