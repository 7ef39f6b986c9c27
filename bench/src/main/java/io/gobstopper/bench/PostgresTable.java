package io.gobstopper.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code systems=postgres}: one table of the shared PostgreSQL store with 1, 2 and 3 instances ({@link
 * PostgresScenarios}), beside db-scheduler on the same server ({@code peers.DbSchedulerPostgresScenarios}) and
 * gobstopper on DuckDB as the reference ({@link GobstopperScenarios}, the same task count, one thread calling
 * {@code submitAsync}, the same workers). Each column is measured {@code pg_runs} times, each time in fresh JVMs on a
 * fresh schema, the columns taken in turn so that the machine's drifts hit them alike; with more than one run a cell
 * shows the median and the runs. After every PostgreSQL run the schema it reported is dropped (again), so that none is
 * left even when its JVM was killed.
 */
final class PostgresTable {

    private static final String DUCKDB = "io.gobstopper.bench.GobstopperScenarios";
    private static final String CLUSTER = "io.gobstopper.bench.PostgresScenarios";
    private static final String DB_SCHEDULER = "io.gobstopper.bench.peers.DbSchedulerPostgresScenarios";
    private static final String PEER_LABEL = "db-scheduler PG (lock-and-fetch)";
    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    /** A column: its heading and one run of it, in fresh JVMs, giving that run's figures. */
    private record Column(String label, boolean postgres, boolean cluster, Supplier<Map<String, String>> run) {}

    private final int tasks;
    private final int warmup;
    private final int latencyTasks;
    private final int workers;
    private final String submit;
    private final String url;
    private final List<Column> columns = new ArrayList<>();
    private final Map<Column, List<Map<String, String>>> results = new LinkedHashMap<>();

    private PostgresTable(Args args, int workers) {
        this.tasks = args.integer("pg_tasks", 20_000);
        this.warmup = args.integer("pg_warmup", 5_000);
        this.latencyTasks = args.integer("pg_latency", 500);
        this.workers = workers;
        this.submit = args.text("pg_submit", "async");
        this.url = args.text("pg_url", PostgresScenarios.DEFAULT_URL);
        String urlArg = args.values().containsKey("pg_url") ? "url=" + url : null;
        if (Boolean.parseBoolean(args.text("pg_duckdb", "true"))) {
            columns.add(new Column("gobstopper DuckDB (reference)", false, false, this::duckDb));
        }
        for (String size : args.text("pg_instances", "1,2,3").split(",")) {
            int instances = Integer.parseInt(size.trim());
            String label = "gobstopper PG " + instances + (instances == 1 ? " instance" : " instances");
            List<String> scenario = common("cluster", urlArg);
            scenario.addAll(List.of("instances=" + instances, "submit=" + submit));
            columns.add(new Column(label, true, true, () -> onPostgres(url, CLUSTER, scenario)));
        }
        if (Boolean.parseBoolean(args.text("pg_peer", "true"))) {
            List<String> scenario = common("run", urlArg);
            columns.add(new Column(PEER_LABEL, true, false, () -> onPostgres(url, DB_SCHEDULER, scenario)));
        }
    }

    /** Runs every column {@code pg_runs} times, taken in turn; {@link #print} shows the table. */
    static PostgresTable measure(Args args, int workers) {
        PostgresTable table = new PostgresTable(args, workers);
        int runs = args.integer("pg_runs", 1);
        for (int run = 0; run < runs; run++) {
            for (Column column : table.columns) {
                table.results
                        .computeIfAbsent(column, c -> new ArrayList<>())
                        .add(column.run().get());
            }
        }
        return table;
    }

    private List<String> common(String scenario, String urlArg) {
        List<String> args = new ArrayList<>(List.of(
                scenario,
                "workers=" + workers,
                "tasks=" + tasks,
                "warmup=" + warmup,
                "latency=" + latencyTasks,
                "interval_ms=10",
                "timeout_s=300"));
        if (urlArg != null) {
            args.add(urlArg);
        }
        return args;
    }

    /** The reference: throughput and idle latency of gobstopper on DuckDB, each in a fresh JVM. */
    private Map<String, String> duckDb() {
        Map<String, String> figures = new LinkedHashMap<>(Fork.run(
                DUCKDB,
                TIMEOUT,
                "throughput",
                "tasks=" + tasks,
                "workers=" + workers,
                "submitters=1",
                "mode=async",
                "work_ms=0",
                "timeout_s=300",
                "warmup=" + warmup));
        Map<String, String> latency =
                Fork.run(DUCKDB, TIMEOUT, "latency", "tasks=" + latencyTasks, "interval_ms=10", "workers=" + workers);
        latency.forEach((key, value) -> figures.merge(key, value, (a, b) -> a + "; " + b));
        return figures;
    }

    /** One run of a PostgreSQL scenario; whatever becomes of its JVM, the schema it reported is dropped after. */
    private static Map<String, String> onPostgres(String url, String mainClass, List<String> scenario) {
        Map<String, String> figures = Fork.run(mainClass, TIMEOUT, scenario.toArray(String[]::new));
        String schema = figures.get("schema");
        if (schema != null && schema.matches("bench_[a-z0-9_]+")) {
            try (Connection connection = DriverManager.getConnection(url, PgStats.applicationName());
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (SQLException ex) {
                System.err.println("could not drop schema " + schema + ": " + ex.getMessage());
            }
        }
        return figures;
    }

    void print() {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        boolean withPeer =
                results.keySet().stream().anyMatch(column -> column.label().equals(PEER_LABEL));
        double peer = results.entrySet().stream()
                .filter(entry -> entry.getKey().label().equals(PEER_LABEL))
                .mapToDouble(entry -> median(entry.getValue(), "tasks_per_second"))
                .findFirst()
                .orElse(Double.NaN);
        String submitting = submit.equals("async") ? "submitAsync from 1 thread" : "submitAll in batches of 500";
        for (Map.Entry<Column, List<Map<String, String>>> entry : results.entrySet()) {
            Column column = entry.getKey();
            List<Map<String, String>> runs = entry.getValue();
            add(rows, "throughput, tasks/s", throughput(runs));
            if (withPeer) {
                double ratio = median(runs, "tasks_per_second") / peer;
                add(
                        rows,
                        "x db-scheduler (throughput ratio of the medians)",
                        Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f x", ratio));
            }
            add(
                    rows,
                    "tasks run per instance",
                    column.cluster()
                            ? runs.stream()
                                    .map(run -> run.containsKey("shares") ? run.get("shares") + " %" : "failed")
                                    .collect(Collectors.joining("; "))
                            : "100 % (one JVM)");
            add(
                    rows,
                    String.format(
                            Locale.ROOT,
                            "idle latency submit to start, p50 / p95 / p99, %,d tasks 10 ms apart",
                            latencyTasks),
                    latency(runs));
            add(
                    rows,
                    "commits per task (pg_stat_database xact_commit + xact_rollback)",
                    column.postgres()
                            ? figure(runs, "commits_per_task", v -> String.format(Locale.ROOT, "%.2f", v))
                            : "n/a (DuckDB)");
            add(
                    rows,
                    "statements per task (pg_stat_statements calls)",
                    column.postgres()
                            ? figure(runs, "statements_per_task", v -> String.format(Locale.ROOT, "%.2f", v))
                            : "n/a (DuckDB)");
            add(rows, "submit time (first submit until every submit returned)", submitTime(runs));
            for (int run = 0; run < runs.size(); run++) {
                notes.addAll(notes(column.label() + ", run " + (run + 1), runs.get(run)));
            }
        }
        int runCount = results.values().stream().mapToInt(List::size).max().orElse(0);
        System.out.printf(
                Locale.ROOT,
                "%nOne PostgreSQL server (%s): gobstopper-tasks with every instance a JVM of its own with %d workers on one "
                        + "fresh schema (lease 10 s, poll 200 ms) and a further JVM without workers submitting; db-scheduler "
                        + "in one JVM with %d threads on a fresh schema with its own table; gobstopper on DuckDB as the "
                        + "reference. Throughput: %,d no-op tasks, %s (the DuckDB reference: submitAsync from 1 thread; "
                        + "db-scheduler: one schedule() call each), from the first submit until every task is done in the "
                        + "database (SUCCESS; for db-scheduler, its table empty), polled every 20 ms, after a warm-up of "
                        + "%,d tasks on the same instances (DuckDB: on a throwaway store in the same JVM). Commits and "
                        + "statements per task: deltas of the server's counters over that window, for this database, less "
                        + "the harness's own queries. Latency: submit call to the start of the task's method, on the idle "
                        + "system.%s%n%n",
                url.replaceAll("\\?.*", ""),
                workers,
                workers,
                tasks,
                submitting,
                warmup,
                runCount > 1 ? " Each column " + runCount + " times in fresh JVMs, taken in turn: median (runs)." : "");
        List<String> header = results.keySet().stream().map(Column::label).toList();
        Benchmark.print("shared PostgreSQL", header, rows);
        if (!notes.isEmpty()) {
            System.out.println();
            notes.forEach(note -> System.out.println("- " + note));
        }
    }

    private static void add(Map<String, List<String>> rows, String row, String value) {
        rows.computeIfAbsent(row, r -> new ArrayList<>()).add(value);
    }

    private static double median(List<Map<String, String>> runs, String key) {
        List<Double> values = values(runs, key);
        return values.isEmpty() ? Double.NaN : Benchmark.median(values);
    }

    private static List<Double> values(List<Map<String, String>> runs, String key) {
        return runs.stream()
                .map(run -> Benchmark.number(run, key))
                .filter(value -> !Double.isNaN(value))
                .toList();
    }

    /** The median of a figure over the runs, and with more than one run each run's ("-" where a run has none). */
    private static String figure(List<Map<String, String>> runs, String key, Function<Double, String> format) {
        List<Double> values = values(runs, key);
        if (values.isEmpty()) {
            return runs.stream().anyMatch(run -> "n/a".equals(run.get(key)))
                    ? "n/a"
                    : "failed: " + runs.get(0).getOrDefault("error", "no result");
        }
        String median = format.apply(Benchmark.median(values));
        if (runs.size() == 1) {
            return median;
        }
        return median + " (runs: "
                + runs.stream()
                        .map(run -> Double.isNaN(Benchmark.number(run, key))
                                ? "-"
                                : format.apply(Benchmark.number(run, key)))
                        .collect(Collectors.joining(" / "))
                + ")";
    }

    private static String throughput(List<Map<String, String>> runs) {
        String cell = figure(runs, "tasks_per_second", value -> String.format(Locale.ROOT, "%,.0f", value));
        long incomplete = runs.stream()
                .filter(run -> run.containsKey("finished") && Benchmark.number(run, "finished") != 1)
                .count();
        return incomplete == 0 ? cell : cell + " (" + incomplete + " run(s) incomplete, see below)";
    }

    private String latency(List<Map<String, String>> runs) {
        List<Double> p50 = values(runs, "p50_ms");
        if (p50.isEmpty()) {
            return "failed: " + runs.get(0).getOrDefault("error", "no result");
        }
        String cell = String.format(
                Locale.ROOT,
                "%.2f / %.2f / %.2f ms",
                Benchmark.median(p50),
                median(runs, "p95_ms"),
                median(runs, "p99_ms"));
        if (runs.size() > 1) {
            cell += " (runs: "
                    + runs.stream()
                            .map(run -> String.format(
                                    Locale.ROOT,
                                    "%.2f/%.2f/%.2f",
                                    Benchmark.number(run, "p50_ms"),
                                    Benchmark.number(run, "p95_ms"),
                                    Benchmark.number(run, "p99_ms")))
                            .collect(Collectors.joining(", "))
                    + ")";
        }
        double started = values(runs, "started").stream()
                .mapToDouble(Double::doubleValue)
                .min()
                .orElse(latencyTasks);
        return started < latencyTasks
                ? cell + String.format(Locale.ROOT, " (in one run only %,.0f of %,d started)", started, latencyTasks)
                : cell;
    }

    private static String submitTime(List<Map<String, String>> runs) {
        String cell = figure(runs, "submit_seconds", value -> String.format(Locale.ROOT, "%.1f s", value));
        double failed = values(runs, "submit_failures").stream()
                .mapToDouble(Double::doubleValue)
                .sum();
        return failed > 0 ? cell + String.format(Locale.ROOT, " (%,.0f submits failed)", failed) : cell;
    }

    /** What a reader of the table must know about one run: errors, lost tasks, other sessions on the database. */
    private static List<String> notes(String where, Map<String, String> run) {
        List<String> notes = new ArrayList<>();
        if (run.containsKey("error")) {
            notes.add(where + ": " + run.get("error"));
        }
        if (run.containsKey("finished") && Benchmark.number(run, "finished") != 1) {
            notes.add(String.format(
                    Locale.ROOT,
                    "%s: only %,.0f tasks done in %.0f s",
                    where,
                    Benchmark.number(run, "completed"),
                    Benchmark.number(run, "seconds")));
        }
        if (run.containsKey("submit_error")) {
            notes.add(where + ": first failed submit: " + run.get("submit_error"));
        }
        if (Benchmark.number(run, "other_sessions") > 0) {
            notes.add(String.format(
                    Locale.ROOT,
                    "%s: %.0f other session(s) on the database during the window; their work is in its counts",
                    where,
                    Benchmark.number(run, "other_sessions")));
        }
        if (run.containsKey("statements_warning")) {
            notes.add(where + ": " + run.get("statements_warning"));
        }
        return notes;
    }
}
