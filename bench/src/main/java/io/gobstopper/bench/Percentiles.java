package io.gobstopper.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of latencies in nanoseconds, reported in milliseconds. */
public final class Percentiles {

    private Percentiles() {}

    /** Reports {@code <prefix>p50_ms}, {@code p95_ms} and {@code p99_ms} of the given latencies. */
    public static void report(String prefix, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        for (int p : new int[] {50, 95, 99}) {
            Report.metric(prefix + "p" + p + "_ms", at(sorted, p) / 1e6);
        }
    }

    static long at(long[] sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
