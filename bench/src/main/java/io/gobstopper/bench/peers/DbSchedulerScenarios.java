package io.gobstopper.bench.peers;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.jdbc.DefaultJdbcCustomization;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.gobstopper.bench.Args;
import io.gobstopper.bench.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * db-scheduler 16 on an H2 file in a fresh temp directory. Each task is a one-time task scheduled for now; db-scheduler
 * deletes its row when it completes, so a task is done and durable once its row is gone.
 *
 * <p>Settings, from db-scheduler's README: {@code threads} = workers; polling strategy fetch-and-lock-on-execute
 * with its default limits (lock-and-fetch needs {@code SELECT FOR UPDATE SKIP LOCKED} support in the JDBC
 * customization, which db-scheduler has for PostgreSQL and a few others, not for H2); {@code enableImmediateExecution}
 * so that a task scheduled for now is picked without waiting for the next poll; a polling interval of
 * {@value #POLL_MILLIS} ms instead of the default 10 s (the README lists it under "consider tuning"; with immediate
 * execution it is only the fallback, and 100 ms, 1 s and 10 s measured alike for throughput); timestamps persisted in
 * UTC; the table and indexes of its PostgreSQL/HSQLDB DDL, in H2 types. Tasks are scheduled one {@code schedule()}
 * call each, its ordinary API ({@code scheduleBatch} exists but is not what the other systems are given).
 */
public final class DbSchedulerScenarios {

    static final int POLL_MILLIS = 100;

    private static final List<String> DDL = List.of(
            """
            CREATE TABLE scheduled_tasks (
              task_name VARCHAR(100) NOT NULL,
              task_instance VARCHAR(100) NOT NULL,
              task_data BLOB,
              execution_time TIMESTAMP WITH TIME ZONE NOT NULL,
              picked BOOLEAN NOT NULL,
              picked_by VARCHAR(50),
              last_success TIMESTAMP WITH TIME ZONE,
              last_failure TIMESTAMP WITH TIME ZONE,
              consecutive_failures INT,
              last_heartbeat TIMESTAMP WITH TIME ZONE,
              version BIGINT NOT NULL,
              priority SMALLINT,
              PRIMARY KEY (task_name, task_instance)
            )""",
            "CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)",
            "CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)",
            "CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC)");

    private DbSchedulerScenarios() {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        int workers = args.integer("workers", 4);
        switch (args.scenario()) {
            case "throughput" ->
                Args.warmedUp(args, run -> {
                    try (HikariDataSource dataSource = newStore(run, workers)) {
                        throughput(dataSource, run, workers);
                    }
                });
            case "latency" -> latency(newStore(args, workers), args, workers);
            default -> throw new IllegalArgumentException("unknown scenario " + args.scenario());
        }
        System.exit(0);
    }

    /** A fresh H2 file database in a fresh folder, with db-scheduler's table. */
    private static HikariDataSource newStore(Args args, int workers) throws Exception {
        Path dir = Files.createTempDirectory("db-scheduler-bench");
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl("jdbc:h2:file:" + dir.resolve("scheduler"));
        pool.setMaximumPoolSize(PeerDriver.poolSize(workers, args.integer("submitters", 1)));
        HikariDataSource dataSource = new HikariDataSource(pool);
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            for (String ddl : DDL) {
                statement.execute(ddl);
            }
        }
        return dataSource;
    }

    private static Scheduler start(HikariDataSource dataSource, int workers, OneTimeTask<?> task) {
        Scheduler scheduler = Scheduler.create(dataSource, task)
                .threads(workers)
                .pollUsingFetchAndLockOnExecute(0.5, 3.0)
                .pollingInterval(Duration.ofMillis(POLL_MILLIS))
                .enableImmediateExecution()
                .jdbcCustomization(new DefaultJdbcCustomization(true)) // what auto-detection picks for H2
                .alwaysPersistTimestampInUTC()
                .build();
        scheduler.start();
        return scheduler;
    }

    private static String settings(int workers) {
        return "fetch-and-lock-on-execute (lock-and-fetch unsupported on H2), " + workers + " threads, poll "
                + POLL_MILLIS + " ms, immediate execution";
    }

    private static void throughput(HikariDataSource dataSource, Args args, int workers) throws Exception {
        Report.note("note", settings(workers) + ", one schedule() call per task");
        int workMillis = args.integer("work_ms", 0);
        OneTimeTask<Integer> task = Tasks.oneTime("work", Integer.class).execute((instance, context) -> {
            Integer millis = instance.getData();
            if (millis != null && millis > 0) {
                try {
                    TimeUnit.MILLISECONDS.sleep(millis);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        Scheduler scheduler = start(dataSource, workers, task);
        Integer data = workMillis == 0 ? null : workMillis;
        PeerDriver.throughput(
                args,
                index -> scheduler.schedule(task.instance(Integer.toString(index), data), Instant.now()),
                PeerDriver.polling(submitted -> submitted - rows(dataSource), Duration.ofMillis(50)));
        scheduler.stop(); // before H2 closes itself at exit, under a running scheduler
    }

    private static void latency(HikariDataSource dataSource, Args args, int workers) throws Exception {
        Report.note("note", "poll " + POLL_MILLIS + " ms, immediate execution");
        Map<Integer, Long> startedAt = PeerDriver.startTimes();
        OneTimeTask<Void> task = Tasks.oneTime("timed")
                .execute((instance, context) -> startedAt.put(Integer.parseInt(instance.getId()), System.nanoTime()));
        Scheduler scheduler = start(dataSource, workers, task);
        PeerDriver.latency(
                args, index -> scheduler.schedule(task.instance(Integer.toString(index)), Instant.now()), startedAt);
        scheduler.stop();
    }

    /** Executions still in the table: scheduled, or running and not yet completed. */
    private static long rows(HikariDataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM scheduled_tasks")) {
            result.next();
            return result.getLong(1);
        }
    }
}
