package io.gobstopper.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The DuckDB scenarios of this code beside the same scenarios of a baseline built from another commit
 * ({@code systems=compare baseline_cp=<file holding its classpath>}, made by {@code bench/compare.sh}), in one run
 * on one machine: fresh JVMs taken in turn, baseline then current, {@code compare_runs} pairs, medians compared. This
 * machine is noisy; only figures measured side by side say whether a change made the engine slower.
 */
final class Comparison {

    private static final String MAIN = "io.gobstopper.bench.GobstopperScenarios";

    private Comparison() {}

    static void run(Args args, int tasks, int latencyTasks, int warmup, int workers) {
        String file = args.text("baseline_cp", null);
        if (file == null) {
            throw new IllegalArgumentException(
                    "systems=compare needs baseline_cp=<file with the baseline's classpath>; "
                            + "bench/compare.sh <git ref> builds the baseline and passes it");
        }
        String baseline;
        try {
            baseline = Files.readString(Path.of(file)).strip();
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException("Cannot read the baseline's classpath from " + file, ex);
        }
        String current = System.getProperty("java.class.path");
        int runs = args.integer("compare_runs", 5);
        String label = args.text("baseline_label", "baseline");
        List<Double> baseRates = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        List<double[]> baseLatency = new ArrayList<>();
        List<double[]> latency = new ArrayList<>();
        String[] throughput = {
            "throughput",
            "tasks=" + tasks,
            "workers=" + workers,
            "submitters=1",
            "work_ms=0",
            "timeout_s=300",
            "warmup=" + warmup
        };
        String[] idle = {"latency", "tasks=" + latencyTasks, "interval_ms=10", "workers=" + workers};
        for (int i = 0; i < runs; i++) {
            baseRates.add(
                    Benchmark.number(Fork.run(baseline, MAIN, Duration.ofMinutes(10), throughput), "tasks_per_second"));
            rates.add(
                    Benchmark.number(Fork.run(current, MAIN, Duration.ofMinutes(10), throughput), "tasks_per_second"));
            baseLatency.add(percentiles(Fork.run(baseline, MAIN, Duration.ofMinutes(10), idle)));
            latency.add(percentiles(Fork.run(current, MAIN, Duration.ofMinutes(10), idle)));
        }
        System.out.printf(
                Locale.ROOT,
                "%nDuckDB store, %s against this code: %d pairs of fresh JVMs, taken in turn; " + "%d workers%n%n",
                label,
                runs,
                workers);
        System.out.printf(
                Locale.ROOT,
                "| scenario | %s (median) | this code (median) | change | runs: %s / this code |%n",
                label,
                label);
        System.out.println("|---|---|---|---|---|");
        double before = Benchmark.median(baseRates);
        double after = Benchmark.median(rates);
        System.out.printf(
                Locale.ROOT,
                "| throughput, %,d no-op tasks, 1 submitter (tasks/s) | %,.0f | %,.0f | %+.1f %% " + "| %s / %s |%n",
                tasks,
                before,
                after,
                (after - before) / before * 100,
                list(baseRates, "%,.0f"),
                list(rates, "%,.0f"));
        String[] names = {"p50", "p95", "p99"};
        for (int p = 0; p < names.length; p++) {
            int index = p;
            List<Double> base =
                    baseLatency.stream().map(values -> values[index]).toList();
            List<Double> now = latency.stream().map(values -> values[index]).toList();
            double b = Benchmark.median(base);
            double a = Benchmark.median(now);
            System.out.printf(
                    Locale.ROOT,
                    "| idle latency %s, %,d tasks 10 ms apart (ms) | %.2f | %.2f | %+.1f %% | " + "%s / %s |%n",
                    names[p],
                    latencyTasks,
                    b,
                    a,
                    (a - b) / b * 100,
                    list(base, "%.2f"),
                    list(now, "%.2f"));
        }
    }

    private static double[] percentiles(java.util.Map<String, String> result) {
        return new double[] {
            Benchmark.number(result, "p50_ms"), Benchmark.number(result, "p95_ms"), Benchmark.number(result, "p99_ms")
        };
    }

    private static String list(List<Double> values, String format) {
        Function<Double, String> one = value -> String.format(Locale.ROOT, format, value);
        return String.join(", ", values.stream().map(one).toList());
    }
}
