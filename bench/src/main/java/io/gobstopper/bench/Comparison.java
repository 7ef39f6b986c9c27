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
        if (!args.text("backlog", "true").equals("false")) {
            backlog(args, baseline, current, label);
        }
    }

    /**
     * The heap a queued backlog takes, baseline and this code, and this code draining a large backlog in a small heap
     * ({@code backlog_queued} 1000000, {@code drain_tasks} 5000000, {@code drain_heap} 256m; {@code drain_baseline}
     * true to try the baseline too).
     */
    private static void backlog(Args args, String baseline, String current, String label) {
        int queued = args.integer("backlog_queued", 1_000_000);
        int drain = args.integer("drain_tasks", 5_000_000);
        String heap = args.text("drain_heap", "256m");
        String[] memory = {"memory", "queued=" + queued};
        // per 1,000,000 from the figure per 100,000 that every version reports
        double before =
                Benchmark.number(Fork.run(baseline, MAIN, Duration.ofMinutes(20), memory), "heap_mb_per_100k_queued")
                        * 10;
        double after =
                Benchmark.number(Fork.run(current, MAIN, Duration.ofMinutes(20), memory), "heap_mb_per_100k_queued")
                        * 10;
        System.out.printf(
                Locale.ROOT,
                "| heap after GC per 1,000,000 queued no-op tasks, %,d queued in a category without workers (MB) "
                        + "| %.1f | %.1f | %+.1f %% | one run each |%n",
                queued,
                before,
                after,
                (after - before) / before * 100);
        String[] drainArgs = {"drain", "tasks=" + drain};
        String base = args.text("drain_baseline", "false").equals("true")
                ? drained(Fork.run(baseline, heap, MAIN, Duration.ofMinutes(60), drainArgs))
                : "not run";
        String now = drained(Fork.run(current, heap, MAIN, Duration.ofMinutes(60), drainArgs));
        System.out.printf(
                Locale.ROOT,
                "| drain %,d queued no-op tasks (submitAll, 1,000 at a time, to a category without workers; then 4 "
                        + "workers), -Xmx%s | %s | %s | | |%n",
                drain,
                heap,
                base,
                now);
    }

    private static String drained(java.util.Map<String, String> result) {
        if (!result.containsKey("drain_seconds")) {
            return "failed: " + result.getOrDefault("error", "no result")
                    + (result.containsKey("submit_seconds") ? "" : " (while submitting)");
        }
        return String.format(
                Locale.ROOT,
                "drained in %.1f s (%,.0f tasks/s%s); submitting took %.1f s; heap after GC with all queued %.1f MB "
                        + "of %.0f MB",
                Benchmark.number(result, "drain_seconds"),
                Benchmark.number(result, "tasks_per_second"),
                Benchmark.number(result, "finished") == 1 ? "" : ", NOT all finished",
                Benchmark.number(result, "submit_seconds"),
                Benchmark.number(result, "heap_mb_queued"),
                Benchmark.number(result, "max_heap_mb"));
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
