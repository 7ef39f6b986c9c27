package io.gobstopper.tasks.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.store.support.TaskWrite;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The sink writes every field exactly, whichever statement shape the batch size picks (one prepared update for small
 * batches, an Appender-filled staging table for large ones), and applies an update only where the guard holds.
 */
class DuckDbBatchSinkTests {

    private static final Instant T0 = Instant.parse("2026-11-23T10:15:30.123456Z");

    @TempDir
    Path dir;

    private DuckDBConnection connection;
    private JdbcTemplate jdbc;
    private DuckDbBatchSink sink;

    @BeforeEach
    void open() throws Exception {
        connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("sink.duckdb"));
        jdbc = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
        DuckDbSchema.migrate(jdbc, "sink.duckdb");
        sink = new DuckDbBatchSink(connection, jdbc, null, 0);
    }

    @AfterEach
    void close() throws Exception {
        sink.close();
        connection.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, DuckDbBatchSink.SMALL_UPDATE, DuckDbBatchSink.SMALL_UPDATE + 1, 50})
    void writesEveryFieldOfInsertsAndGuardedUpdatesExactly(int size) throws Exception {
        List<TaskInfo> pending = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            pending.add(pending(i));
        }
        sink.commit(
                write(pending.stream().map(task -> new TaskWrite(task, null, 0)).toList(), true));
        assertThat(stored()).containsExactlyInAnyOrderElementsOf(pending);

        List<TaskInfo> finished =
                pending.stream().map(DuckDbBatchSinkTests::finished).toList();
        DuckDbBatchSink.Tx tx = sink.begin();
        Set<UUID> missed = sink.update(
                tx,
                finished.stream()
                        .map(task -> new TaskWrite(task, TaskStatus.PENDING, 0))
                        .toList());
        sink.commit(tx);
        assertThat(missed).isEmpty();
        assertThat(stored()).containsExactlyInAnyOrderElementsOf(finished);

        // the rows are no longer PENDING: a write that expects PENDING must not apply, and says which rows it missed
        List<TaskWrite> stale = pending.stream()
                .map(task -> new TaskWrite(task, TaskStatus.PENDING, 0))
                .toList();
        tx = sink.begin();
        missed = sink.update(tx, stale);
        sink.commit(tx);
        assertThat(missed)
                .containsExactlyInAnyOrderElementsOf(
                        pending.stream().map(TaskInfo::id).toList());
        assertThat(stored()).containsExactlyInAnyOrderElementsOf(finished);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 20})
    void aRolledBackBatchLeavesNothingBehind(int size) throws Exception {
        List<TaskWrite> rows = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            rows.add(new TaskWrite(pending(i), null, 0));
        }
        DuckDbBatchSink.Tx tx = write(rows, true);
        sink.rollback(tx);

        assertThat(stored()).isEmpty();
    }

    @Test
    void anInsertWithOneBadRowIsAllOrNothingAndLeavesTheSinkUsable() throws Exception {
        TaskInfo existing = pending(0);
        sink.commit(write(List.of(new TaskWrite(existing, null, 0)), true));
        TaskInfo nameless = new TaskInfo(
                pending(4).id(),
                null,
                "default",
                TaskPriority.NORMAL,
                TaskStatus.PENDING,
                existing.createdAt(),
                null,
                null,
                null,
                null,
                null,
                0,
                0,
                "[]",
                "{}",
                0,
                null);
        List<TaskWrite> withBadRow = List.of(
                new TaskWrite(pending(1), null, 0),
                new TaskWrite(nameless, null, 0),
                new TaskWrite(pending(2), null, 0));

        DuckDbBatchSink.Tx tx = sink.begin();
        assertThatThrownBy(() -> sink.insert(tx, withBadRow))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("NOT NULL");
        sink.rollback(tx);
        assertThat(stored()).containsExactly(existing);

        sink.commit(write(List.of(new TaskWrite(pending(3), null, 0)), true));
        assertThat(stored()).containsExactlyInAnyOrder(existing, pending(3));
    }

    private DuckDbBatchSink.Tx write(List<TaskWrite> rows, boolean insert) throws Exception {
        DuckDbBatchSink.Tx tx = sink.begin();
        if (insert) {
            sink.insert(tx, rows);
        }
        return tx;
    }

    private List<TaskInfo> stored() {
        return jdbc.query("SELECT " + DuckDbRows.COLUMNS + " FROM tasks", DuckDbRows.MAPPER);
    }

    private static TaskInfo pending(int i) {
        return new TaskInfo(
                new UUID(0x0190_0000_0000_7000L + i, 0x8000_0000_0000_0000L + i),
                "task-" + i,
                i % 2 == 0 ? "even" : "odd",
                TaskPriority.values()[i % 4],
                TaskStatus.PENDING,
                T0.plus(i, ChronoUnit.MICROS),
                null,
                null,
                i % 3 == 0 ? T0.plusSeconds(5) : null,
                null,
                null,
                i % 5,
                i % 7,
                "[" + i + ", \"x\"]",
                "{\"n\": " + i + "}",
                0,
                null);
    }

    private static TaskInfo finished(TaskInfo task) {
        boolean ok = task.retryCount() % 2 == 0;
        return new TaskInfo(
                task.id(),
                task.name(),
                task.category(),
                task.priority(),
                ok ? TaskStatus.SUCCESS : TaskStatus.FAILED,
                task.createdAt(),
                T0.plusSeconds(1),
                T0.plusSeconds(2).plusNanos(7_000),
                task.runAt(),
                ok ? "{\"done\": true}" : null,
                ok ? null : "java.lang.IllegalStateException: boom",
                task.retryCount() + 1,
                task.maxRetries(),
                task.args(),
                task.kwargs(),
                ok ? 100 : 40,
                ok ? null : "step 2 of 5");
    }
}
