package io.gobstopper.tasks.store.duckdb;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.store.support.GroupCommitWriter;
import io.gobstopper.tasks.store.support.TaskWrite;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The writer's transactions on DuckDB. DuckDB pays per statement, not per row (FACTS.md), and binding JDBC
 * parameters is slow (a 17-parameter INSERT of one row costs as much as an Appender, 0.8-1.2 ms), so new rows always
 * go in through an Appender. Which update is cheapest depends on the batch: measured on the 2-core machine with
 * 300,000 stored tasks, one row is updated by a prepared {@code UPDATE ... FROM (VALUES ...)} in 1.3 ms against
 * 2.3 ms through an Appender-filled staging table, while from about 32 rows up the staging table wins by far
 * (256 rows: 4.9 ms against 15 ms). Updates are guarded by the status the store still holds. Task ids are
 * time-ordered, so DuckDB's zone maps keep the update joins on recent row groups.
 */
final class DuckDbBatchSink implements GroupCommitWriter.BatchSink<DuckDbBatchSink.Tx> {

    private static final Logger log = LoggerFactory.getLogger(DuckDbBatchSink.class);

    /** The journal is emptied once it is this large and the table holds every record in it. */
    static final long JOURNAL_TRUNCATE_BYTES = 1024 * 1024;

    /** Batches up to this size are updated by one prepared statement, larger ones through the staging table. */
    static final int SMALL_UPDATE = 8;

    /** What commands get inside the writer's transaction. */
    record Tx(JdbcTemplate jdbc) {}

    private static final String STAGING_DDL = """
            CREATE TEMP TABLE task_writes (
                id UUID, expected_status VARCHAR, status VARCHAR, started_at TIMESTAMP, completed_at TIMESTAMP,
                run_at TIMESTAMP, result VARCHAR, error VARCHAR, retry_count INTEGER, progress TINYINT,
                progress_message VARCHAR)
            """;

    private static final String SET_FROM_W = "UPDATE tasks SET status = w.status, started_at = w.started_at, "
            + "completed_at = w.completed_at, run_at = w.run_at, result = w.result, error = w.error, "
            + "retry_count = w.retry_count, progress = w.progress, progress_message = w.progress_message FROM ";

    private static final String GUARD = " WHERE tasks.id = w.id AND tasks.status = w.expected_status";

    private static final String UPDATE_FROM_STAGING = SET_FROM_W + "task_writes w" + GUARD;

    private static final String VALUES_ROW = "(?::UUID, ?::VARCHAR, ?::VARCHAR, make_timestamp(?::BIGINT), "
            + "make_timestamp(?::BIGINT), make_timestamp(?::BIGINT), ?::VARCHAR, ?::VARCHAR, ?::INTEGER, ?::TINYINT, "
            + "?::VARCHAR)";

    private static final String VALUES_COLUMNS = " w(id, expected_status, status, started_at, completed_at, run_at, "
            + "result, error, retry_count, progress, progress_message)";

    private final DuckDBConnection connection;
    private final Map<Integer, PreparedStatement> updates = new HashMap<>();
    private final Tx tx;
    private final SubmitJournal journal;
    // prepared once, and again after a failed transaction: the driver closes a statement that failed
    private Statement statement;
    private PreparedStatement begin;
    private PreparedStatement commit;
    private PreparedStatement markStored;
    /** The highest journal sequence appended (journal thread). */
    private long journaledUpTo;
    /** The highest journal sequence the tasks table holds, committed (written by the store thread). */
    private volatile long storedUpTo;
    /** What the open transaction will have stored once it commits (store thread). */
    private long storingUpTo;

    /**
     * @param journal where new rows become durable ahead of their transaction, or {@code null} to store them only by
     *     transaction
     * @param storedUpTo the highest journal sequence the tasks table holds
     */
    DuckDbBatchSink(DuckDBConnection connection, JdbcTemplate jdbc, SubmitJournal journal, long storedUpTo)
            throws SQLException {
        this.connection = connection;
        this.tx = new Tx(jdbc);
        this.journal = journal;
        this.journaledUpTo = storedUpTo;
        this.storedUpTo = storedUpTo;
        this.storingUpTo = storedUpTo;
        try (Statement ddl = connection.createStatement()) {
            ddl.execute(STAGING_DDL);
        }
        prepare();
    }

    private void prepare() throws SQLException {
        statement = connection.createStatement();
        markStored = connection.prepareStatement("UPDATE gobstopper_journal SET stored_up_to = ?");
        begin = connection.prepareStatement("BEGIN TRANSACTION");
        commit = connection.prepareStatement("COMMIT");
    }

    private void closeStatements() {
        for (Statement prepared : new Statement[] {begin, commit, markStored, statement}) {
            closeQuietly(prepared);
        }
        updates.values().forEach(DuckDbBatchSink::closeQuietly);
        updates.clear();
    }

    private static void closeQuietly(Statement prepared) {
        try {
            if (prepared != null) {
                prepared.close();
            }
        } catch (SQLException ex) {
            log.debug("Closing a statement of the writer failed: {}", ex.getMessage());
        }
    }

    @Override
    public Tx begin() throws SQLException {
        if (begin == null || begin.isClosed()) {
            prepare(); // a rollback could not prepare them again
        }
        // an explicit BEGIN: an Appender joins a transaction only once a statement has started it
        begin.execute();
        return tx;
    }

    /**
     * One append and {@code fdatasync} (~0.2 ms) instead of a DuckDB commit (2.5 ms and more when idle). The journal
     * is emptied first when it has grown and the table holds every record in it; only this thread touches the file.
     */
    @Override
    public boolean hasJournal() {
        return journal != null;
    }

    @Override
    public long journal(List<TaskWrite> rows) throws IOException {
        if (journal == null) {
            return GroupCommitWriter.NO_JOURNAL;
        }
        if (storedUpTo == journaledUpTo && journal.size() > JOURNAL_TRUNCATE_BYTES) {
            journal.truncate();
        }
        List<TaskInfo> tasks = new ArrayList<>(rows.size());
        rows.forEach(row -> tasks.add(row.task()));
        journaledUpTo = journal.append(tasks);
        return journaledUpTo;
    }

    @Override
    public void insert(Tx tx, List<TaskWrite> rows) throws SQLException {
        try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "tasks")) {
            for (TaskWrite row : rows) {
                appendRow(appender, row.task());
            }
            appender.flush();
        }
    }

    @Override
    public void probe(Tx tx) throws SQLException {
        markStored.setLong(1, storedUpTo); // what is committed already: a write that changes nothing
        markStored.executeUpdate();
    }

    /** The writer stores journaled rows only all together, so the table now holds every record up to this one. */
    @Override
    public void journaledStored(Tx tx, long sequence) throws SQLException {
        markStored.setLong(1, sequence);
        markStored.executeUpdate();
        storingUpTo = sequence;
    }

    @Override
    public Set<UUID> update(Tx tx, List<TaskWrite> rows) throws SQLException {
        int updated;
        if (rows.size() <= SMALL_UPDATE) {
            PreparedStatement update = smallUpdate(rows.size());
            int index = 1;
            for (TaskWrite row : rows) {
                index = bindWrite(update, index, row);
            }
            updated = update.executeUpdate();
        } else {
            try (DuckDBAppender appender = connection.createAppender("temp", "main", "task_writes")) {
                for (TaskWrite row : rows) {
                    appendWrite(appender, row);
                }
                appender.flush();
            }
            updated = statement.executeUpdate(UPDATE_FROM_STAGING);
            statement.execute("DELETE FROM task_writes");
        }
        return updated == rows.size() ? Set.of() : notWritten(rows);
    }

    private PreparedStatement smallUpdate(int size) throws SQLException {
        PreparedStatement update = updates.get(size);
        if (update == null) {
            String values = String.join(", ", Collections.nCopies(size, VALUES_ROW));
            update = connection.prepareStatement(SET_FROM_W + "(VALUES " + values + ")" + VALUES_COLUMNS + GUARD);
            updates.put(size, update);
        }
        return update;
    }

    /** After a guard missed: the rows that do not hold the state just written. */
    private Set<UUID> notWritten(List<TaskWrite> rows) throws SQLException {
        Map<UUID, String> wanted = new HashMap<>();
        rows.forEach(row -> wanted.put(row.task().id(), row.task().status().name()));
        Set<UUID> missed = new HashSet<>(wanted.keySet());
        try (PreparedStatement select = connection.prepareStatement("SELECT id, status FROM tasks WHERE id IN ("
                + String.join(", ", Collections.nCopies(rows.size(), "?::UUID")) + ")")) {
            int index = 1;
            for (TaskWrite row : rows) {
                select.setObject(index++, row.task().id());
            }
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    UUID id = result.getObject(1, UUID.class);
                    if (result.getString(2).equals(wanted.get(id))) {
                        missed.remove(id);
                    }
                }
            }
        }
        return missed;
    }

    @Override
    public void commit(Tx tx) throws SQLException {
        commit.execute();
        storedUpTo = storingUpTo;
    }

    @Override
    public void rollback(Tx tx) {
        storingUpTo = storedUpTo;
        // a failed statement (a COMMIT that found the disk full, say) is closed by the driver: start afresh
        closeStatements();
        try (Statement rollback = connection.createStatement()) {
            rollback.execute("ROLLBACK");
        } catch (SQLException ex) {
            log.debug("Rollback after a failed write did not complete: {}", ex.getMessage());
        }
        try {
            prepare();
        } catch (SQLException ex) {
            log.warn(
                    "Could not prepare the writer's statements again; the next transaction tries: {}", ex.getMessage());
        }
    }

    void close() {
        if (journal != null) {
            try {
                if (storedUpTo == journaledUpTo) {
                    journal.truncate();
                }
                journal.close();
            } catch (IOException ex) {
                log.warn("Closing the task journal {} failed: {}", journal.path(), ex.toString());
            }
        }
        closeStatements();
    }

    /** A whole new row, in table column order. */
    private static void appendRow(DuckDBAppender appender, TaskInfo task) throws SQLException {
        appender.beginRow()
                .append(task.id())
                .append(task.name())
                .append(task.category())
                .append((byte) task.priority().level())
                .append(task.maxRetries())
                .append(task.args())
                .append(task.kwargs());
        appendTime(appender, task.createdAt());
        appendState(appender, task);
        appender.append(DuckDbRows.parentsText(task.dependsOn())).append(task.uniqueKey());
        if (task.timeout() == null) {
            appender.appendNull();
        } else {
            appender.append(task.timeout().toMillis());
        }
        appender.endRow();
    }

    /** One change, in staging column order. */
    private static void appendWrite(DuckDBAppender appender, TaskWrite write) throws SQLException {
        appender.beginRow()
                .append(write.task().id())
                .append(write.expectedStatus().name());
        appendState(appender, write.task());
        appender.endRow();
    }

    /** The columns a task's life changes, which follow the fixed ones in the table and end the staging table. */
    private static void appendState(DuckDBAppender appender, TaskInfo task) throws SQLException {
        appender.append(task.status().name());
        appendTime(appender, task.startedAt());
        appendTime(appender, task.completedAt());
        appendTime(appender, task.runAt());
        appender.append(task.result())
                .append(task.error())
                .append(task.retryCount())
                .append((byte) task.progress())
                .append(task.progressMessage());
    }

    /** One change, in the order of {@link #VALUES_ROW}. */
    private static int bindWrite(PreparedStatement update, int index, TaskWrite write) throws SQLException {
        TaskInfo task = write.task();
        update.setObject(index++, task.id());
        update.setString(index++, write.expectedStatus().name());
        update.setString(index++, task.status().name());
        setTime(update, index++, task.startedAt());
        setTime(update, index++, task.completedAt());
        setTime(update, index++, task.runAt());
        update.setString(index++, task.result());
        update.setString(index++, task.error());
        update.setInt(index++, task.retryCount());
        update.setInt(index++, task.progress());
        update.setString(index++, task.progressMessage());
        return index;
    }

    private static void setTime(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, DuckDbRows.micros(instant));
        }
    }

    private static void appendTime(DuckDBAppender appender, Instant instant) throws SQLException {
        if (instant == null) {
            appender.appendNull();
        } else {
            appender.appendEpochMicros(DuckDbRows.micros(instant));
        }
    }
}
