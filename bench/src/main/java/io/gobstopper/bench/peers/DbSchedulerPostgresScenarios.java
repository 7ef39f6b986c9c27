package io.gobstopper.bench.peers;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.jdbc.PostgreSqlJdbcCustomization;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.gobstopper.bench.Args;
import io.gobstopper.bench.PgStats;
import io.gobstopper.bench.PostgresScenarios;
import io.gobstopper.bench.Report;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * db-scheduler 16 on PostgreSQL, the peer of gobstopper's shared store on the same server and database (see
 * {@code Benchmark}, {@code systems=postgres}). Scenario {@code run}, in one JVM: a fresh schema holding db-scheduler's
 * PostgreSQL table and indexes (its {@code postgresql_tables.sql}: {@code scheduled_tasks} keyed by task name and
 * instance, indexes on execution time, last heartbeat, and priority with execution time), one scheduler with
 * {@code workers} threads, and this JVM's main thread scheduling, as an application would with its own scheduler.
 * Then, as {@code PostgresScenarios} does for gobstopper:
 *
 * <ol>
 *   <li>a warm-up: {@code warmup} no-op tasks through the same scheduler and table (db-scheduler deletes a one-time
 *       task's row when it completes), then {@code VACUUM ANALYZE};
 *   <li>throughput: {@code tasks} one-time no-op tasks scheduled for now from one thread, one plain
 *       {@code schedule()} call each (its ordinary API; {@code scheduleBatch} exists but is not what gobstopper's
 *       submitter is given), timed from the first call until the table is empty (polled every 20 ms); the database's
 *       work in that window per task ({@link PgStats});
 *   <li>idle latency ({@code latency} tasks {@code interval_ms} apart): from just before the {@code schedule()} call to
 *       the start of the task's body, in this JVM ({@link PeerDriver#latency}).
 * </ol>
 *
 * <p>Settings: {@code threads(workers)}; {@code enableImmediateExecution()}, so a task scheduled for now in this JVM is
 * looked for at once; the polling interval of the H2 peer ({@value DbSchedulerScenarios#POLL_MILLIS} ms, only the
 * fallback with immediate execution); PostgreSQL's JDBC customization, given explicitly as what auto-detection picks
 * for PostgreSQL ({@code new PostgreSqlJdbcCustomization(false, false)}: the single-statement lock-and-fetch, no UTC
 * override, as the table's timestamps are {@code timestamp with time zone}); and polling strategy lock-and-fetch with
 * {@code pollUsingLockAndFetch(1.0, 4.0)}, following the section "Polling strategy" of db-scheduler's README (as of
 * v16.12.0):
 *
 * <blockquote>
 * If you are running &gt;1000 executions/s you might want to use the {@code lock-and-fetch} polling-strategy for lower
 * overhead and higher throughput [...]
 *
 * <p>{@code .pollUsingLockAndFetch(double, double)}: Use polling strategy {@code lock-and-fetch} which uses
 * {@code select for update .. skip locked} for less overhead. If the last fetch from the database was a full batch, a
 * new fetch will be triggered when the number of executions left are less than or equal to
 * {@code lowerLimitFractionOfThreads * nr-of-threads}. The number of executions fetched each time is equal to
 * {@code (upperLimitFractionOfThreads * nr-of-threads) - nr-executions-left}. Fetched executions are already
 * locked/picked for this scheduler-instance thus saving one {@code UPDATE} statement. For normal usage, set to for
 * example {@code 0.5, 1.0}. For high throughput (i.e. keep threads busy), set to for example {@code 1.0, 4.0}.
 * [...]
 * </blockquote>
 *
 * <p>The database is {@code url} (as {@code PostgresScenarios}); the schema is dropped at the end and reported as
 * {@code schema}, so that the benchmark drops it too if this JVM is killed.
 */
public final class DbSchedulerPostgresScenarios {

    static final double LOWER_LIMIT_FRACTION_OF_THREADS = 1.0;
    static final double UPPER_LIMIT_FRACTION_OF_THREADS = 4.0;

    private DbSchedulerPostgresScenarios() {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        if (!args.scenario().equals("run")) {
            throw new IllegalArgumentException("unknown scenario " + args.scenario());
        }
        run(args);
        System.exit(0);
    }

    /** db-scheduler's PostgreSQL DDL, in {@code schema}. */
    private static List<String> ddl(String schema) {
        String table = schema + ".scheduled_tasks";
        return List.of(
                "CREATE SCHEMA " + schema,
                """
                CREATE TABLE %s (
                  task_name TEXT NOT NULL,
                  task_instance TEXT NOT NULL,
                  task_data BYTEA,
                  execution_time TIMESTAMP WITH TIME ZONE NOT NULL,
                  picked BOOLEAN NOT NULL,
                  picked_by TEXT,
                  last_success TIMESTAMP WITH TIME ZONE,
                  last_failure TIMESTAMP WITH TIME ZONE,
                  consecutive_failures INT,
                  last_heartbeat TIMESTAMP WITH TIME ZONE,
                  version BIGINT NOT NULL,
                  priority SMALLINT,
                  PRIMARY KEY (task_name, task_instance)
                )""".formatted(table),
                "CREATE INDEX execution_time_idx ON " + table + " (execution_time)",
                "CREATE INDEX last_heartbeat_idx ON " + table + " (last_heartbeat)",
                "CREATE INDEX priority_execution_time_idx ON " + table + " (priority DESC, execution_time ASC)");
    }

    private static void run(Args args) throws Exception {
        String url = args.text("url", PostgresScenarios.DEFAULT_URL);
        int workers = args.integer("workers", 4);
        int tasks = args.integer("tasks", 20_000);
        int warmup = args.integer("warmup", 5_000);
        int latencyTasks = args.integer("latency", 500);
        String schema =
                "bench_dbs_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String table = schema + ".scheduled_tasks";
        Report.note("schema", schema);
        Report.note("note", settings(workers));
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(PeerDriver.poolSize(workers, 1));
        config.setPoolName("db-scheduler");
        config.setDataSourceProperties(PgStats.applicationName());
        try (HikariDataSource dataSource = new HikariDataSource(config);
                PgStats stats = PgStats.connect(url)) {
            Scheduler scheduler = null;
            try {
                execute(dataSource, ddl(schema));
                OneTimeTask<Void> noop = Tasks.oneTime("noop").execute((instance, context) -> {});
                Map<Integer, Long> startedAt = PeerDriver.startTimes();
                OneTimeTask<Void> timed = Tasks.oneTime("timed")
                        .execute((instance, context) ->
                                startedAt.put(Integer.parseInt(instance.getId()), System.nanoTime()));
                scheduler = start(dataSource, table, workers, noop, timed);
                Scheduler running = scheduler;
                // as cheap a poll as ours (an EXISTS stops at the first row), so that neither side's harness takes
                // from the database it measures; the exact count only once the table is empty
                PeerDriver.Await tableEmpty = PeerDriver.polling(
                        submitted -> stats.longs("SELECT CASE WHEN EXISTS (SELECT 1 FROM " + table + ") THEN 1 ELSE 0 "
                                                + "END")[0]
                                        == 0
                                ? submitted - stats.longs("SELECT count(*) FROM " + table)[0]
                                : submitted - 1,
                        Duration.ofMillis(20));

                if (warmup > 0) {
                    PeerDriver.throughput(
                            args.with("tasks", Integer.toString(warmup)).with("quiet", "true"),
                            index -> running.schedule(noop.instance("w" + index), Instant.now()),
                            tableEmpty);
                    execute(dataSource, List.of("VACUUM ANALYZE " + table));
                }
                PeerDriver.throughput(
                        args.with("tasks", Integer.toString(tasks)),
                        index -> running.schedule(noop.instance("t" + index), Instant.now()),
                        tableEmpty,
                        new PeerDriver.Window() {
                            private PgStats.Window window;

                            @Override
                            public void open() throws Exception {
                                window = stats.open();
                            }

                            @Override
                            public void close() throws Exception {
                                stats.close(window, tasks);
                            }
                        });
                execute(dataSource, List.of("VACUUM ANALYZE " + table));
                if (latencyTasks > 0) {
                    PeerDriver.latency(
                            args.with("tasks", Integer.toString(latencyTasks)),
                            index -> running.schedule(timed.instance(Integer.toString(index)), Instant.now()),
                            startedAt);
                }
            } finally {
                if (scheduler != null) {
                    scheduler.stop();
                }
                execute(dataSource, List.of("DROP SCHEMA IF EXISTS " + schema + " CASCADE"));
            }
        }
    }

    private static Scheduler start(HikariDataSource dataSource, String table, int workers, OneTimeTask<?>... tasks) {
        Scheduler scheduler = Scheduler.create(dataSource, tasks)
                .tableName(table)
                .threads(workers)
                .pollUsingLockAndFetch(LOWER_LIMIT_FRACTION_OF_THREADS, UPPER_LIMIT_FRACTION_OF_THREADS)
                .pollingInterval(Duration.ofMillis(DbSchedulerScenarios.POLL_MILLIS))
                .enableImmediateExecution()
                .jdbcCustomization(new PostgreSqlJdbcCustomization(false, false))
                .build();
        scheduler.start();
        return scheduler;
    }

    private static String settings(int workers) {
        return "lock-and-fetch (" + LOWER_LIMIT_FRACTION_OF_THREADS + ", " + UPPER_LIMIT_FRACTION_OF_THREADS + "), "
                + workers + " threads, poll " + DbSchedulerScenarios.POLL_MILLIS + " ms, immediate execution, "
                + "PostgreSQL JDBC customization, one schedule() call per task";
    }

    private static void execute(HikariDataSource dataSource, List<String> statements) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
