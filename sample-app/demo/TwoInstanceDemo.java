import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives two running instances of the sample app that share one Redis, and checks what Phonon
 * promises across them. Run by demo.sh ({@code java TwoInstanceDemo.java <base-url> <base-url>});
 * exits 1 if a check fails.
 */
public class TwoInstanceDemo {

	private static final HttpClient http = HttpClient.newHttpClient();

	private static int failures;

	public static void main(String[] args) throws Exception {
		String one = args[0];
		String two = args[1];
		reportRunsOncePerTick(one, two);
		slowReportIsComputedOnce(one, two);
		lastOneOutWritesTheRecordOnce(one, two);
		showLockMeters(one, two);
		System.out.println();
		System.out.println(failures == 0 ? "All checks passed." : failures + " check(s) failed.");
		System.exit(failures == 0 ? 0 : 1);
	}

	/** The @Scheduled @Locked report: every tick ran in exactly one instance, tokens rising. */
	static void reportRunsOncePerTick(String one, String two) throws Exception {
		System.out.println("Letting the report job (every 2 s, in both instances) tick for 12 s...");
		Thread.sleep(12_000);
		Map<Long, String> ranIn = new TreeMap<>();
		Map<Long, Long> tokens = new TreeMap<>();
		List<Long> twice = new ArrayList<>();
		for (String base : List.of(one, two)) {
			Matcher run = Pattern.compile("\"tick\":(\\d+),\"token\":(\\d+)").matcher(get(base + "/report/runs"));
			while (run.find()) {
				long tick = Long.parseLong(run.group(1));
				if (ranIn.put(tick, base) != null) {
					twice.add(tick);
				}
				tokens.put(tick, Long.parseLong(run.group(2)));
			}
		}
		List<Long> ticks = new ArrayList<>(ranIn.keySet());
		List<Long> missed = new ArrayList<>();
		for (int i = 1; i < ticks.size(); i++) {
			for (long tick = ticks.get(i - 1) + 2; tick < ticks.get(i); tick += 2) {
				missed.add(tick);
			}
		}
		List<Long> tokenOrder = new ArrayList<>(tokens.values());
		boolean rising = true;
		for (int i = 1; i < tokenOrder.size(); i++) {
			rising &= tokenOrder.get(i) > tokenOrder.get(i - 1);
		}
		long inOne = ranIn.values().stream().filter(one::equals).count();
		check(ticks.size() >= 4 && twice.isEmpty() && missed.isEmpty() && rising,
				"the @Scheduled @Locked report ran once per tick across both instances: " + ticks.size() + " ticks, "
						+ inOne + " in one, " + (ticks.size() - inOne) + " in two; run twice: " + twice + ", missed: "
						+ missed + ", fencing tokens in tick order " + tokenOrder);
	}

	/** The @Dogpile sales report: eight requests at once, both instances, one computation. */
	static void slowReportIsComputedOnce(String one, String two) throws Exception {
		List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			String base = (i % 2 == 0) ? one : two;
			requests.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/sales-reports/2026-11")).build(),
					HttpResponse.BodyHandlers.ofString()));
		}
		HashSet<String> reports = new HashSet<>();
		for (CompletableFuture<HttpResponse<String>> request : requests) {
			reports.add(request.get().body());
		}
		double computations = sum(one, two, "phonon_dogpile_regenerate_seconds_count{name=\"sales-report\",outcome=\"success\"}");
		check(reports.size() == 1 && computations == 1,
				"the @Dogpile sales report was computed once for 8 concurrent requests to both instances: "
						+ reports.size() + " distinct report(s), " + (long) computations + " computation(s)");
	}

	/** References: the email check in one instance, the address check in the other, one write. */
	static void lastOneOutWritesTheRecordOnce(String one, String two) throws Exception {
		String id = "demo-" + UUID.randomUUID().toString().substring(0, 8);
		post(one + "/records/" + id + "/checks/email");
		post(two + "/records/" + id + "/checks/address");
		String record = "";
		for (int i = 0; i < 60 && !record.contains("checks merged"); i++) {
			Thread.sleep(500);
			record = get(one + "/records/" + id);
		}
		int writes = record.split("checks merged", -1).length - 1;
		double lastReleases = sum(one, two, "phonon_reference_last_release_total{outcome=\"success\"}");
		check(writes == 1 && record.contains("from 2 modifications") && lastReleases == 1,
				"record " + id + " was checked in both instances and written once, by the last one out: " + writes
						+ " merged write(s); " + record.replaceAll(".*(\\{address=[^}]*\\} from \\d+ modifications).*", "$1"));
	}

	static void showLockMeters(String one, String two) {
		for (String base : List.of(one, two)) {
			System.out.println();
			System.out.println("Lock meters of " + base + "/actuator/prometheus:");
			get(base + "/actuator/prometheus").lines()
				.filter((line) -> line.matches("phonon_lock_(acquire_seconds_count|active_seconds_count|lost_total)\\{.*name=\"report\".*"))
				.forEach((line) -> System.out.println("  " + line));
		}
	}

	/** Adds up one sample over both instances' Prometheus pages. */
	static double sum(String one, String two, String sample) {
		double total = 0;
		for (String base : List.of(one, two)) {
			for (String line : get(base + "/actuator/prometheus").lines().toList()) {
				if (line.startsWith(sample + " ")) {
					total += Double.parseDouble(line.substring(sample.length() + 1).trim());
				}
			}
		}
		return total;
	}

	static void check(boolean passed, String what) {
		System.out.println((passed ? "PASS  " : "FAIL  ") + what);
		if (!passed) {
			failures++;
		}
	}

	static String get(String url) {
		try {
			return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString())
				.body();
		}
		catch (Exception ex) {
			throw new IllegalStateException("GET " + url + " failed", ex);
		}
	}

	static void post(String url) throws Exception {
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 202) {
			throw new IllegalStateException("POST " + url + " answered " + response.statusCode());
		}
	}

}
