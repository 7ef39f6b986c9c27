package io.gobstopper.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.GobstopperTasks;
import io.gobstopper.tasks.engine.TaskEngine;
import io.gobstopper.tasks.engine.TaskEngineSettings;
import io.gobstopper.tasks.engine.TaskRegistry;
import io.gobstopper.tasks.store.postgres.PostgresTaskStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * gobstopper-tasks on one PostgreSQL schema shared by {@code instances} instances, each a JVM of its own with
 * {@code workers} workers (see {@link Benchmark}, {@code systems=postgres}). Scenario {@code cluster} runs in the JVM
 * the benchmark forks: it creates a fresh schema, starts the instances (scenario {@code instance}, one JVM each) and
 * an engine of its own with no workers that submits, as a web front end would. Then:
 *
 * <ol>
 *   <li>a warm-up: {@code warmup} no-op tasks, run and then deleted;
 *   <li>throughput: {@code tasks} no-op tasks submitted from one thread while the instances run ({@code submit}:
 *       {@code async}, the default, one {@code submitAsync} each and every future joined, failures counted and
 *       reported; or {@code batch}, {@code submitAll} in batches of {@code batch}), timed from the first submit until
 *       every one is SUCCESS (the store is polled every 20 ms); the database's work in that window per task
 *       ({@link PgStats}: transactions, statements, less the harness's own polls);
 *   <li>idle latency: {@code latency} tasks submitted one by one {@code interval_ms} apart on the idle cluster, from
 *       the submit call to the start of the task's method (wall clock, read in both JVMs of one machine).
 * </ol>
 *
 * <p>The database is {@code url} (default {@code GOBSTOPPER_BENCH_POSTGRES_URL}, else
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}); the schema is dropped at the end (and reported as
 * {@code schema}, so that the benchmark drops it too if this JVM is killed). The instances end when told to or when
 * their standard input closes, that is when this JVM ends, however it ends.
 */
public final class PostgresScenarios {

    /** The database unless {@code url} is given: {@code GOBSTOPPER_BENCH_POSTGRES_URL}, else the local test one. */
    public static final String DEFAULT_URL = System.getenv()
            .getOrDefault("GOBSTOPPER_BENCH_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private static final Duration LEASE = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(200);

    /** The tasks: a no-op, and one that returns the wall-clock time its method began, in microseconds. */
    public static final class Tasks {
        @BackgroundTask(name = "noop", maxRetries = 0)
        public void noop() {}

        @BackgroundTask(name = "timed", maxRetries = 0)
        public long timed() {
            return micros(Instant.now());
        }
    }

    private PostgresScenarios() {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        switch (args.scenario()) {
            case "cluster" -> cluster(args);
            case "instance" -> instance(args);
            default -> throw new IllegalArgumentException("unknown scenario " + args.scenario());
        }
        System.exit(0);
    }

    private static HikariDataSource pool(String url, int size, String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(size);
        config.setPoolName(name);
        config.setDataSourceProperties(PgStats.applicationName()); // tells the benchmark's sessions from others
        return new HikariDataSource(config);
    }

    private static TaskEngine engine(DataSource dataSource, String schema, String node, int workers) {
        JsonMapper mapper = JsonMapper.builder().build();
        TaskRegistry registry = new TaskRegistry(mapper);
        registry.registerAnnotated(new Tasks());
        TaskEngine engine = (TaskEngine) GobstopperTasks.builder()
                .registry(registry)
                .store(new PostgresTaskStore(dataSource, schema, node, LEASE, POLL))
                .settings(TaskEngineSettings.DEFAULTS.withWorkers(workers))
                .mapper(mapper)
                .build();
        engine.start();
        return engine;
    }

    /** One instance: an engine with workers on the schema, until the line {@code stop} (or the end of input). */
    static void instance(Args args) throws Exception {
        int workers = args.integer("workers", 4);
        String node = args.text("node", "instance");
        try (HikariDataSource dataSource = pool(args.text("url", DEFAULT_URL), workers + 4, node)) {
            TaskEngine engine = engine(dataSource, args.text("schema", null), node, workers);
            System.out.println("READY " + node);
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null && !line.equals("stop"); ) {
                // wait for the coordinator's word
            }
            engine.close();
        }
    }

    /** A running instance JVM. */
    private record Instance(String node, Process process, CountDownLatch ready) {

        void stop() throws IOException, InterruptedException {
            if (process.isAlive()) {
                OutputStream in = process.getOutputStream();
                in.write("stop\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }
    }

    private static Instance launch(String url, String schema, String node, int workers) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PostgresScenarios.class.getName());
        command.addAll(List.of("instance", "url=" + url, "schema=" + schema, "node=" + node, "workers=" + workers));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader lines = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = lines.readLine()) != null; ) {
                            if (line.equals("READY " + node)) {
                                ready.countDown();
                            }
                            System.out.println("  [" + node + "] " + line);
                        }
                    } catch (IOException ex) {
                        // the instance went away
                    }
                },
                "output-" + node);
        reader.setDaemon(true);
        reader.start();
        return new Instance(node, process, ready);
    }

    static void cluster(Args args) throws Exception {
        String url = args.text("url", DEFAULT_URL);
        int instances = args.integer("instances", 1);
        int workers = args.integer("workers", 4);
        int tasks = args.integer("tasks", 20_000);
        Submitter submit = Submitter.of(args.text("submit", "async"), args.integer("batch", 500));
        int warmup = args.integer("warmup", 5_000);
        int latencyTasks = args.integer("latency", 500);
        long intervalNanos = TimeUnit.MILLISECONDS.toNanos(args.integer("interval_ms", 10));
        Duration limit = Duration.ofSeconds(args.integer("timeout_s", 300));
        String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Report.note("schema", schema); // the benchmark drops it as well, should this JVM die before its finally
        Report.note("submit", submit.toString());
        List<Instance> running = new ArrayList<>();
        try (HikariDataSource dataSource = pool(url, 6, "submitter");
                PgStats stats = PgStats.connect(url)) {
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            TaskEngine submitter = null;
            try {
                submitter = engine(dataSource, schema, "submitter", 0); // creates the schema
                for (int i = 1; i <= instances; i++) {
                    running.add(launch(url, schema, "node-" + i, workers));
                }
                for (Instance instance : running) {
                    if (!instance.ready().await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException(instance.node() + " did not start within 60 s");
                    }
                }
                if (warmup > 0) {
                    Submitter.Outcome warm = submit.submit(submitter, warmup);
                    awaitDone(stats, schema, warm.stored(), limit);
                    clear(jdbc, schema);
                }

                PgStats.Window window = stats.open();
                long begin = System.nanoTime();
                Submitter.Outcome outcome = submit.submit(submitter, tasks);
                double submitSeconds = (System.nanoTime() - begin) / 1e9;
                boolean finished = awaitDone(stats, schema, outcome.stored(), limit);
                double seconds = (System.nanoTime() - begin) / 1e9;
                stats.close(window, tasks);
                long stored = count(jdbc, schema, "SUCCESS");
                Map<String, Long> shares = new HashMap<>();
                jdbc.query("SELECT node_id, count(*) FROM " + schema + ".tasks GROUP BY node_id", rs -> {
                    shares.put(rs.getString(1), rs.getLong(2));
                });
                Report.throughput(stored, tasks, seconds, finished);
                Report.metric("submit_seconds", submitSeconds);
                outcome.report();
                Report.note(
                        "shares",
                        running.stream()
                                .map(instance -> String.format(
                                        java.util.Locale.ROOT,
                                        "%.0f",
                                        100.0 * shares.getOrDefault(instance.node(), 0L) / Math.max(1, stored)))
                                .collect(Collectors.joining(" / ")));
                clear(jdbc, schema);

                if (latencyTasks > 0) {
                    latency(submitter, stats, jdbc, schema, latencyTasks, intervalNanos, limit);
                }
            } finally {
                cleanUp(running, submitter, jdbc, schema);
            }
        }
    }

    /** Stops the instances and the submitter and drops the schema, each step tried even if one before failed. */
    private static void cleanUp(List<Instance> running, TaskEngine submitter, JdbcTemplate jdbc, String schema) {
        List<Runnable> steps = new ArrayList<>();
        for (Instance instance : running) {
            steps.add(() -> {
                try {
                    instance.stop();
                } catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    instance.process().destroyForcibly();
                }
            });
        }
        if (submitter != null) {
            steps.add(submitter::close);
        }
        steps.add(() -> jdbc.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE"));
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException ex) {
                System.out.println("clean-up step failed: " + ex);
            }
        }
    }

    /** Polls every 20 ms until {@code expected} tasks are SUCCESS; false if the limit passed first. */
    private static boolean awaitDone(PgStats stats, String schema, long expected, Duration limit)
            throws SQLException, InterruptedException {
        // cheap while tasks remain (each EXISTS stops at the first row of a partial index), so that the harness's
        // polls take next to nothing from the database they measure; the SUCCESS count only once none remain
        String unfinished = "SELECT CASE WHEN EXISTS (SELECT 1 FROM " + schema + ".tasks WHERE status IN ('PENDING', "
                + "'RETRY')) OR EXISTS (SELECT 1 FROM " + schema + ".tasks WHERE status = 'STARTED') THEN 1 ELSE 0 END";
        String succeeded = "SELECT count(*) FROM " + schema + ".tasks WHERE status = 'SUCCESS'";
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            // the harness's own statements: PgStats subtracts them
            if (stats.longs(unfinished)[0] == 0 && stats.longs(succeeded)[0] >= expected) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(20); // the poll's period, not a synchronisation
        }
        return false;
    }

    private static long count(JdbcTemplate jdbc, String schema, String status) {
        Long count =
                jdbc.queryForObject("SELECT count(*) FROM " + schema + ".tasks WHERE status = ?", Long.class, status);
        return count == null ? 0 : count;
    }

    /** Deletes the ended tasks and vacuums, so the next run starts on an empty table. */
    private static void clear(JdbcTemplate jdbc, String schema) {
        jdbc.update("DELETE FROM " + schema + ".tasks WHERE status IN ('SUCCESS', 'FAILED', 'CANCELLED')");
        jdbc.execute("VACUUM ANALYZE " + schema + ".tasks");
    }

    /** Submit call to method start, on the idle cluster, {@code count} tasks on a fixed schedule. */
    private static void latency(
            TaskEngine submitter,
            PgStats stats,
            JdbcTemplate jdbc,
            String schema,
            int count,
            long intervalNanos,
            Duration limit)
            throws SQLException, InterruptedException {
        for (int i = 0; i < 50; i++) { // warm-up, not measured
            submitter.submit("timed");
            TimeUnit.NANOSECONDS.sleep(intervalNanos);
        }
        awaitDone(stats, schema, 50, limit);
        clear(jdbc, schema);
        Map<UUID, Long> submitted = new HashMap<>(count * 2);
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            next += intervalNanos;
            long at = micros(Instant.now());
            submitted.put(submitter.submit("timed"), at);
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        awaitDone(stats, schema, count, limit);
        long[] latencies = new long[count];
        int[] started = {0};
        jdbc.query("SELECT id, result FROM " + schema + ".tasks WHERE status = 'SUCCESS'", rs -> {
            Long at = submitted.get(rs.getObject(1, UUID.class));
            if (at != null) {
                latencies[started[0]++] = (Long.parseLong(rs.getString(2)) - at) * 1000; // nanoseconds
            }
        });
        Report.metric("started", started[0]);
        Percentiles.report("", java.util.Arrays.copyOf(latencies, started[0]));
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }
}
