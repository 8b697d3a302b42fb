package io.phonon.sample;

import java.time.Instant;
import java.util.List;

/**
 * A month's sales report: slow to compute, so it is served from a dogpile cache.
 *
 * @param month the month, such as {@code 2026-11}
 * @param computation which computation of this application made it (1 for the first)
 * @param computedAt when it was made
 * @param dailyTotals the sales of each day
 */
public record SalesReport(String month, int computation, Instant computedAt, List<Integer> dailyTotals) {
}
