package io.gobstopper.tasks.store;

import io.gobstopper.tasks.TaskInfo;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The writer's transactions on DuckDB: new rows go in through an Appender, changed rows through an Appender
 * into a staging table and one guarded set-based UPDATE. DuckDB pays per statement, not per row (FACTS.md), so a
 * batch of a thousand changes costs a few statements.
 */
final class DuckDbBatchSink implements GroupCommitWriter.BatchSink<DuckDbBatchSink.Tx> {

    private static final Logger log = LoggerFactory.getLogger(DuckDbBatchSink.class);

    /** What commands get inside the writer's transaction. */
    record Tx(JdbcTemplate jdbc) {}

    private static final String STAGING_DDL = """
            CREATE TEMP TABLE task_writes (
                id UUID, expected_status VARCHAR, status VARCHAR, started_at TIMESTAMP, completed_at TIMESTAMP,
                run_at TIMESTAMP, result VARCHAR, error VARCHAR, retry_count INTEGER, progress TINYINT,
                progress_message VARCHAR)
            """;

    private static final String APPLY_WRITES = """
            UPDATE tasks SET status = w.status, started_at = w.started_at, completed_at = w.completed_at,
                run_at = w.run_at, result = w.result, error = w.error, retry_count = w.retry_count,
                progress = w.progress, progress_message = w.progress_message
            FROM task_writes w
            WHERE tasks.id = w.id AND tasks.status = w.expected_status
            RETURNING tasks.id
            """;

    private final DuckDBConnection connection;
    private final Statement statement;
    private final Tx tx;

    DuckDbBatchSink(DuckDBConnection connection, JdbcTemplate jdbc) throws SQLException {
        this.connection = connection;
        this.statement = connection.createStatement();
        this.tx = new Tx(jdbc);
        statement.execute(STAGING_DDL);
    }

    @Override
    public Tx begin() throws SQLException {
        // an explicit BEGIN: an Appender joins a transaction only once a statement has started it
        statement.execute("BEGIN TRANSACTION");
        return tx;
    }

    @Override
    public void insert(Tx tx, List<TaskWrite> rows) throws SQLException {
        try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "tasks")) {
            for (TaskWrite row : rows) {
                TaskInfo task = row.task();
                appender.beginRow()
                        .append(task.id())
                        .append(task.name())
                        .append(task.category())
                        .append((byte) task.priority().level())
                        .append(task.status().name());
                appendTime(appender, task.createdAt());
                appendTime(appender, task.startedAt());
                appendTime(appender, task.completedAt());
                appendTime(appender, task.runAt());
                appender.append(task.result())
                        .append(task.error())
                        .append(task.retryCount())
                        .append(task.maxRetries())
                        .append(task.args())
                        .append(task.kwargs())
                        .append((byte) task.progress())
                        .append(task.progressMessage())
                        .endRow();
            }
            appender.flush();
        }
    }

    @Override
    public Set<UUID> update(Tx tx, List<TaskWrite> rows) throws SQLException {
        try (DuckDBAppender appender = connection.createAppender("temp", "main", "task_writes")) {
            for (TaskWrite row : rows) {
                TaskInfo task = row.task();
                appender.beginRow().append(task.id()).append(row.expectedStatus().name()).append(task.status().name());
                appendTime(appender, task.startedAt());
                appendTime(appender, task.completedAt());
                appendTime(appender, task.runAt());
                appender.append(task.result())
                        .append(task.error())
                        .append(task.retryCount())
                        .append((byte) task.progress())
                        .append(task.progressMessage())
                        .endRow();
            }
            appender.flush();
        }
        Set<UUID> missed = new HashSet<>();
        rows.forEach(row -> missed.add(row.task().id()));
        try (var result = statement.executeQuery(APPLY_WRITES)) {
            while (result.next()) {
                missed.remove(result.getObject(1, UUID.class));
            }
        }
        statement.execute("DELETE FROM task_writes");
        return missed;
    }

    @Override
    public void commit(Tx tx) throws SQLException {
        statement.execute("COMMIT");
    }

    @Override
    public void rollback(Tx tx) {
        try {
            statement.execute("ROLLBACK");
        } catch (SQLException ex) {
            log.debug("Rollback after a failed write did not complete: {}", ex.getMessage());
        }
    }

    void close() {
        try {
            statement.close();
        } catch (SQLException ex) {
            log.debug("Closing the writer statement failed: {}", ex.getMessage());
        }
    }

    private static void appendTime(DuckDBAppender appender, Instant instant) throws SQLException {
        if (instant == null) {
            appender.appendNull();
        } else {
            appender.appendEpochMicros(TaskRows.micros(instant));
        }
    }
}
