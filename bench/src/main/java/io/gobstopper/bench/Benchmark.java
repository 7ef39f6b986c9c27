package io.gobstopper.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs every scenario in a fresh JVM (each with a fresh store) and prints the figures as tables: gobstopper-tasks
 * on DuckDB beside JobRunr and db-scheduler on their embedded store (an H2 file) and a plain
 * {@code ThreadPoolExecutor} without persistence as the ceiling. Arguments ({@code key=value}, all optional):
 * {@code tasks} (50000), {@code latency} (1000), {@code stored} (1000000), {@code peer_timeout_s} (120),
 * {@code warmup} (10000 tasks on a throwaway instance before each throughput run; not for JobRunr), {@code systems}
 * (gobstopper,executor,db-scheduler,jobrunr; add {@code sse} for the event stream's cost, or give {@code systems=sse}
 * alone; {@code systems=analytics} times only analytics over {@code analytics_rows} (100000) stored tasks),
 * {@code sse_clients} (50), {@code sse_tasks} (1000000), {@code sse_runs} (5 pairs); {@code systems=soak}
 * runs the soak ({@code soak_minutes} 10, {@code soak_rate} 1000/s, {@code soak_retention_s} 60, {@code soak_sample_s}
 * 30). {@code systems=compare} runs the DuckDB throughput and latency scenarios of this code beside a baseline built
 * from another commit ({@link Comparison}; {@code bench/compare.sh}), then the heap after GC per 1,000,000 queued tasks
 * of both and a drain of 5,000,000 queued no-op tasks by this code in a JVM with {@code -Xmx256m} ({@code
 * backlog=false} skips these; {@code backlog_queued}, {@code drain_tasks}, {@code drain_heap}, {@code
 * drain_baseline}).
 *
 * <p>{@code systems=postgres} prints one table ({@link PostgresTable}): gobstopper on DuckDB as the reference
 * ({@link GobstopperScenarios}), the shared PostgreSQL store with 1, 2 and 3 instances, each a JVM of its own with 4
 * workers, and a further JVM submitting ({@link PostgresScenarios}), and db-scheduler on the same PostgreSQL with
 * lock-and-fetch polling ({@code peers.DbSchedulerPostgresScenarios}); rows: throughput, its ratio to db-scheduler's,
 * tasks run per instance, idle latency submit to start, commits and statements per task in the throughput window
 * ({@link PgStats}), and how long submitting took. Arguments:
 *
 * <ul>
 *   <li>{@code pg_tasks} (20000): tasks in each throughput run, every column;
 *   <li>{@code pg_instances} (1,2,3): the cluster sizes, a column each;
 *   <li>{@code pg_warmup} (5000): warm-up tasks on the same instances (the same scheduler) before the measured run;
 *   <li>{@code pg_latency} (500): idle-latency tasks, 10 ms apart;
 *   <li>{@code pg_submit} ({@code async}): how gobstopper's submitter submits, from one thread: {@code async}, one
 *       {@code submitAsync} per task, or {@code batch}, {@code submitAll} in batches of 500;
 *   <li>{@code pg_url} (the {@code GOBSTOPPER_BENCH_POSTGRES_URL} environment variable, else the local {@code test}
 *       database as user postgres);
 *   <li>{@code pg_runs} (1): with N &gt; 1 every column runs N times in fresh JVMs, the columns taken in turn, and a
 *       cell shows the median and the runs;
 *   <li>{@code pg_peer} ({@code true}): the db-scheduler column (and the ratio row) on or off;
 *   <li>{@code pg_duckdb} ({@code true}): the DuckDB reference column on or off.
 * </ul>
 */
public final class Benchmark {

    private record System(String label, String mainClass) {}

    private static final List<System> SYSTEMS = List.of(
            new System("gobstopper (DuckDB)", "io.gobstopper.bench.GobstopperScenarios"),
            new System("db-scheduler (H2)", "io.gobstopper.bench.peers.DbSchedulerScenarios"),
            new System("JobRunr (H2)", "io.gobstopper.bench.peers.JobRunrScenarios"),
            new System("ThreadPoolExecutor", "io.gobstopper.bench.peers.ExecutorScenarios"));

    private static final int WORKERS = 4;

    public static void main(String[] argv) {
        Args args = Args.parse(withScenario(argv));
        int tasks = args.integer("tasks", 50_000);
        int latencyTasks = args.integer("latency", 1_000);
        int stored = args.integer("stored", 1_000_000);
        int warmup = args.integer("warmup", 10_000);
        Duration peerTimeout = Duration.ofSeconds(args.integer("peer_timeout_s", 120));
        List<String> wanted = List.of(
                args.text("systems", "gobstopper,executor,db-scheduler,jobrunr").split(","));

        Map<String, List<String>> throughputRows = new LinkedHashMap<>();
        String noop = String.format(Locale.ROOT, "throughput, %,d no-op tasks, 1 submitter", tasks);
        String slow = String.format(Locale.ROOT, "throughput, %,d tasks of 1 ms, 1 submitter", tasks);
        String perWorker = String.format(Locale.ROOT, "throughput, %,d no-op tasks, a submitter per worker", tasks);
        String latency =
                String.format(Locale.ROOT, "idle latency p50 / p95 / p99, %,d tasks 10 ms apart", latencyTasks);
        List<String> header = new ArrayList<>();
        Map<String, Double> noopRates = new LinkedHashMap<>();
        for (System system : SYSTEMS) {
            if (!wanted.contains(key(system))) {
                continue;
            }
            header.add(system.label());
            boolean ours = key(system).equals("gobstopper");
            Duration timeout = ours ? Duration.ofMinutes(10) : peerTimeout.plusSeconds(60);
            // JobRunr is held back by its 5 s poll, not by CPU: a JIT warm-up cannot change its figures
            int warm = key(system).equals("jobrunr") ? 0 : warmup;
            String cap = "timeout_s=" + (ours ? 300 : peerTimeout.toSeconds());
            Map<String, String> result = Fork.run(system.mainClass(), timeout, throughputArgs(tasks, 1, 0, cap, warm));
            cell(throughputRows, noop, throughput(result));
            noopRates.put(system.label(), number(result, "tasks_per_second"));
            cell(
                    throughputRows,
                    slow,
                    throughput(Fork.run(system.mainClass(), timeout, throughputArgs(tasks, 1, 1, cap, warm))));
            cell(
                    throughputRows,
                    perWorker,
                    throughput(Fork.run(system.mainClass(), timeout, throughputArgs(tasks, WORKERS, 0, cap, warm))));
            Map<String, String> lat = Fork.run(
                    system.mainClass(),
                    timeout,
                    "latency",
                    "tasks=" + latencyTasks,
                    "interval_ms=10",
                    "workers=" + WORKERS);
            cell(
                    throughputRows,
                    latency,
                    lat.containsKey("error") && !lat.containsKey("p50_ms")
                            ? "failed: " + lat.get("error")
                            : String.format(
                                            Locale.ROOT,
                                            "%.2f / %.2f / %.2f ms",
                                            number(lat, "p50_ms"),
                                            number(lat, "p95_ms"),
                                            number(lat, "p99_ms"))
                                    + (number(lat, "started") < latencyTasks
                                            ? String.format(
                                                    Locale.ROOT,
                                                    " (%,.0f of %,d started within 60 s)",
                                                    number(lat, "started"),
                                                    latencyTasks)
                                            : "")
                                    + (notes(lat).isEmpty() ? "" : " (" + notes(lat) + ")"));
            String settings = notes(result);
            if (!settings.isEmpty()) {
                java.lang.System.err.println("settings of " + system.label() + ": " + settings);
            }
        }

        if (wanted.contains("compare")) {
            Comparison.run(args, tasks, latencyTasks, warmup, WORKERS);
        }
        PostgresTable postgres = wanted.contains("postgres") ? PostgresTable.measure(args, WORKERS) : null;

        Map<String, List<String>> ourRows = new LinkedHashMap<>();
        if (wanted.contains("soak")) {
            soak(args);
        }
        if (wanted.contains("sse")) {
            sse(
                    ourRows,
                    args.integer("sse_tasks", 1_000_000),
                    warmup,
                    args.integer("sse_clients", 50),
                    args.integer("sse_runs", 5));
        }
        if (wanted.contains("gobstopper") || wanted.contains("analytics")) {
            int rows = args.integer("analytics_rows", 100_000);
            Map<String, String> analytics =
                    Fork.run(SYSTEMS.get(0).mainClass(), Duration.ofMinutes(10), "analytics", "analytics_rows=" + rows);
            String label = String.format(Locale.ROOT, "analytics over %,d tasks (30-day window), ", rows);
            cell(ourRows, label + "by name", ms(analytics, "analytics_name_ms"));
            cell(ourRows, label + "by category", ms(analytics, "analytics_category_ms"));
        }
        if (wanted.contains("gobstopper")) {
            String main = SYSTEMS.get(0).mainClass();
            Map<String, String> listing = Fork.run(main, Duration.ofMinutes(10), "listing", "stored=" + stored);
            String label = String.format(Locale.ROOT, "with %,d stored tasks: ", stored);
            cell(ourRows, label + "list first page, filtered by category and status", ms(listing, "list_filtered_ms"));
            cell(ourRows, label + "list first page, unfiltered", ms(listing, "list_all_ms"));
            cell(ourRows, label + "list page at offset 500,000", ms(listing, "list_deep_page_ms"));
            cell(ourRows, label + "stats (counts by status and category)", ms(listing, "stats_ms"));
            Map<String, String> memory = Fork.run(main, Duration.ofMinutes(10), "memory", "queued=1000000");
            cell(ourRows, "heap after GC per 1,000,000 queued tasks", mb(memory, "heap_mb_per_1m_queued"));
            Map<String, String> file = Fork.run(main, Duration.ofMinutes(10), "filesize", "finished=100000");
            cell(ourRows, "DuckDB file per 100,000 finished tasks", mb(file, "file_mb_per_100k_finished"));
        }

        var os = ManagementFactory.getOperatingSystemMXBean();
        java.lang.System.out.printf(
                Locale.ROOT,
                "%ngobstopper-tasks benchmark: %d cores, %.0f GB, Java %s, %s%n",
                os.getAvailableProcessors(),
                totalMemoryGb(),
                java.lang.System.getProperty("java.version"),
                java.lang.System.getProperty("os.name"));
        if (!throughputRows.isEmpty() || !ourRows.isEmpty()) {
            java.lang.System.out.println(
                    "Every figure comes from a fresh JVM; " + WORKERS + " workers; throughput counts "
                            + "from the first submit until every task has succeeded and is stored, on a fresh store, after a "
                            + "warm-up of " + warmup
                            + " tasks on another (none for JobRunr, which waits on its poll, not on the "
                            + "CPU).\n");
        }
        if (!throughputRows.isEmpty()) {
            print("scenario", header, throughputRows);
        }
        Double ours = noopRates.get(SYSTEMS.get(0).label());
        double bestPeer = noopRates.entrySet().stream()
                .filter(entry -> entry.getKey().contains("H2"))
                .mapToDouble(Map.Entry::getValue)
                .filter(rate -> !Double.isNaN(rate))
                .max()
                .orElse(Double.NaN);
        if (ours != null && !Double.isNaN(bestPeer) && bestPeer > 0) {
            java.lang.System.out.printf(
                    Locale.ROOT, "%nno-op throughput: gobstopper is %.1f x the better peer%n", ours / bestPeer);
        }
        if (!ourRows.isEmpty()) {
            java.lang.System.out.println();
            print("gobstopper-tasks on DuckDB", List.of("result"), ourRows);
        }
        if (postgres != null) {
            postgres.print();
        }
    }

    /**
     * No-op throughput of the starter in a real embedded server, without event stream clients and with {@code clients}
     * of them (one of which never reads), each in a fresh JVM; {@code runs} pairs taken in turn, so that the machine's
     * drifts hit both sides alike, and the medians compared.
     */
    private static void sse(Map<String, List<String>> rows, int tasks, int warmup, int clients, int runs) {
        String main = "io.gobstopper.bench.SseScenarios";
        String label = String.format(Locale.ROOT, "starter in Tomcat, %,d no-op tasks, ", tasks);
        List<Double> without = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        Map<String, String> last = Map.of();
        for (int run = 0; run < runs; run++) {
            without.add(number(
                    Fork.run(main, Duration.ofMinutes(10), throughputArgs(tasks, 1, 0, "clients=0", warmup)),
                    "tasks_per_second"));
            last = Fork.run(main, Duration.ofMinutes(10), throughputArgs(tasks, 1, 0, "clients=" + clients, warmup));
            with.add(number(last, "tasks_per_second"));
        }
        double before = median(without);
        double after = median(with);
        cell(rows, label + "no event stream client (median of " + runs + ")", rate(before, without));
        cell(
                rows,
                label + clients + " event stream clients, 1 never reads (median of " + runs + ")",
                rate(after, with)
                        + String.format(
                                Locale.ROOT,
                                "; last run: %.0f of %d clients left at the end, readers got %.0f MB",
                                number(last, "clients_at_end"),
                                clients,
                                number(last, "mb_received_by_readers")));
        cell(
                rows,
                "event stream cost on no-op throughput (medians)",
                String.format(Locale.ROOT, "%+.1f %%", (after - before) / before * 100));
    }

    /**
     * A steady rate for minutes with retention on, in one JVM: prints heap (after a full GC) and file size over time,
     * which should level off once retention deletes as fast as tasks arrive.
     */
    private static void soak(Args args) {
        int minutes = args.integer("soak_minutes", 10);
        int rate = args.integer("soak_rate", 1_000);
        int retention = args.integer("soak_retention_s", 60);
        Map<String, String> result = Fork.run(
                "io.gobstopper.bench.SoakScenario",
                Duration.ofMinutes(minutes + 5),
                "soak",
                "minutes=" + minutes,
                "rate=" + rate,
                "retention_s=" + retention,
                "cleanup_s=10",
                "sample_s=" + args.integer("soak_sample_s", 30));
        java.lang.System.out.printf(
                Locale.ROOT,
                "%nsoak: %,d no-op tasks per second for %d minutes, retention %d s "
                        + "(cleanup every 10 s), 4 workers, DuckDB%n%n",
                rate,
                minutes,
                retention);
        java.lang.System.out.println(
                "| time | submitted | rows stored | heap after GC | DuckDB file | WAL | journal |");
        java.lang.System.out.println("|---|---|---|---|---|---|---|");
        result.keySet().stream()
                .filter(key -> key.endsWith("_heap_mb"))
                .sorted()
                .forEach(key -> {
                    String at = key.substring(0, key.indexOf('_'));
                    java.lang.System.out.printf(
                            Locale.ROOT,
                            "| %d s | %,.0f | %,.0f | %.1f MB | %.1f MB | %.1f MB | %.2f MB |%n",
                            Integer.parseInt(at.substring(1)),
                            number(result, at + "_submitted"),
                            number(result, at + "_rows"),
                            number(result, at + "_heap_mb"),
                            number(result, at + "_file_mb"),
                            number(result, at + "_wal_mb"),
                            number(result, at + "_journal_mb"));
                });
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static String rate(double median, List<Double> runs) {
        return String.format(
                Locale.ROOT,
                "%,.0f tasks/s (runs: %s)",
                median,
                String.join(
                        " / ",
                        runs.stream()
                                .map(value -> String.format(Locale.ROOT, "%,.0f", value))
                                .toList()));
    }

    private static String[] throughputArgs(int tasks, int submitters, int workMillis, String cap, int warmup) {
        return new String[] {
            "throughput",
            "tasks=" + tasks,
            "workers=" + WORKERS,
            "submitters=" + submitters,
            "work_ms=" + workMillis,
            cap,
            "warmup=" + warmup
        };
    }

    private static String[] withScenario(String[] argv) {
        List<String> all = new ArrayList<>(List.of("benchmark"));
        for (String arg : argv) {
            all.addAll(List.of(arg.trim().split("\\s+")).stream()
                    .filter(part -> !part.isEmpty())
                    .toList());
        }
        return all.toArray(String[]::new);
    }

    private static String key(System system) {
        String main = system.mainClass();
        return switch (main.substring(main.lastIndexOf('.') + 1)) {
            case "GobstopperScenarios" -> "gobstopper";
            case "DbSchedulerScenarios" -> "db-scheduler";
            case "JobRunrScenarios" -> "jobrunr";
            default -> "executor";
        };
    }

    private static void cell(Map<String, List<String>> rows, String row, String value) {
        rows.computeIfAbsent(row, r -> new ArrayList<>()).add(value);
    }

    private static String throughput(Map<String, String> result) {
        if (!result.containsKey("tasks_per_second")) {
            return "failed: " + result.getOrDefault("error", "no result");
        }
        String rate = String.format(Locale.ROOT, "%,.0f tasks/s", number(result, "tasks_per_second"));
        if (number(result, "finished") != 1) {
            rate += String.format(
                    Locale.ROOT,
                    " (%,.0f done in %.0f s, then stopped)",
                    number(result, "completed"),
                    number(result, "seconds"));
        }
        return rate;
    }

    private static String notes(Map<String, String> result) {
        return result.getOrDefault("note", "");
    }

    private static String ms(Map<String, String> result, String key) {
        return format(result, key, value -> String.format(Locale.ROOT, "%.1f ms", value));
    }

    private static String mb(Map<String, String> result, String key) {
        return format(result, key, value -> String.format(Locale.ROOT, "%.1f MB", value));
    }

    private static String format(Map<String, String> result, String key, Function<Double, String> format) {
        return result.containsKey(key)
                ? format.apply(number(result, key))
                : "failed: " + result.getOrDefault("error", "no result");
    }

    static double number(Map<String, String> result, String key) {
        try {
            return Double.parseDouble(result.get(key));
        } catch (RuntimeException ex) {
            return Double.NaN;
        }
    }

    private static double totalMemoryGb() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize() / 1e9;
        }
        return Double.NaN;
    }

    static void print(String first, List<String> header, Map<String, List<String>> rows) {
        int width = Math.max(
                first.length(),
                rows.keySet().stream().mapToInt(String::length).max().orElse(0));
        StringBuilder line = new StringBuilder("| " + pad(first, width) + " |");
        StringBuilder rule = new StringBuilder("|" + "-".repeat(width + 2) + "|");
        for (String column : header) {
            line.append(' ').append(column).append(" |");
            rule.append("-".repeat(column.length() + 2)).append('|');
        }
        java.lang.System.out.println(line);
        java.lang.System.out.println(rule);
        rows.forEach((row, values) ->
                java.lang.System.out.println("| " + pad(row, width) + " | " + String.join(" | ", values) + " |"));
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
