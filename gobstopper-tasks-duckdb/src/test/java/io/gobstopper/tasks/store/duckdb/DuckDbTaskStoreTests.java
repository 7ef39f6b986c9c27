package io.gobstopper.tasks.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskNotFoundException;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskQueueUnavailableException;
import io.gobstopper.tasks.TaskStateException;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.TaskStoreException;
import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.TaskChange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DuckDB store on its own: schema, durability, recovery at open, and guarded transitions. */
class DuckDbTaskStoreTests {

    @TempDir
    Path dir;

    private Path file;
    private DuckDbTaskStore store;

    @BeforeEach
    void paths() {
        file = dir.resolve("store.duckdb");
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    private List<LiveTask> open() {
        store = new DuckDbTaskStore(file, Duration.ofMillis(20));
        return store.open(now());
    }

    private List<LiveTask> reopen() {
        store.close();
        return open();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static LiveTask newTask(String name) {
        return LiveTask.submitted(
                UUID.randomUUID(),
                name,
                "mail",
                TaskPriority.HIGH,
                3,
                "[\"a\",1]",
                "{\"k\":true}",
                now(),
                null,
                java.util.List.of(),
                null,
                null);
    }

    private LiveTask inserted(String name) throws Exception {
        LiveTask task = newTask(name);
        store.insert(List.of(task)).get(10, TimeUnit.SECONDS);
        return task;
    }

    private <T> T queryFile(String sql, Class<T> type) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getObject(1, type);
        }
    }

    @Test
    void openCreatesTheSchemaAndReopeningAFileWorks() throws Exception {
        assertThat(open()).isEmpty();
        assertThat(Files.exists(file)).isTrue();
        assertThat(store.kind()).isEqualTo("duckdb");
        assertThat(store.location()).isEqualTo(file.toAbsolutePath().normalize().toString());
        store.check();
        store.close();

        assertThat(queryFile("SELECT max(version) FROM gobstopper_schema", Integer.class))
                .isEqualTo(DuckDbSchema.CURRENT_VERSION);
        assertThat(queryFile("SELECT count(*) FROM gobstopper_schema", Long.class))
                .isEqualTo((long) DuckDbSchema.CURRENT_VERSION);
        assertThat(queryFile("SELECT count(*) FROM tasks", Long.class)).isZero();

        assertThat(open()).isEmpty();
        store.check();
        store.close();
        assertThat(queryFile("SELECT count(*) FROM gobstopper_schema", Long.class))
                .as("reopening does not apply the schema again")
                .isEqualTo((long) DuckDbSchema.CURRENT_VERSION);
    }

    @Test
    void anInsertedTaskIsThereAfterReopening() throws Exception {
        open();
        LiveTask task = inserted("send");
        TaskInfo before = task.snapshot();

        List<LiveTask> unfinished = reopen();

        assertThat(unfinished)
                .singleElement()
                .satisfies(found -> assertThat(found.snapshot()).isEqualTo(before));
        TaskInfo stored = store.find(task.id()).orElseThrow();
        assertThat(stored.name()).isEqualTo("send");
        assertThat(stored.category()).isEqualTo("mail");
        assertThat(stored.priority()).isEqualTo(TaskPriority.HIGH);
        assertThat(stored.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(stored.maxRetries()).isEqualTo(3);
        assertThat(stored.args()).isEqualTo("[\"a\",1]");
        assertThat(stored.kwargs()).isEqualTo("{\"k\":true}");
        assertThat(stored.createdAt()).isEqualTo(before.createdAt());
    }

    @Test
    void theInsertIsDurableWhenItsFutureCompletes() throws Exception {
        open();
        LiveTask task = inserted("send");

        // durable: journaled, or already committed to the table (seen from another connection); nothing has flushed
        boolean journaled = SubmitJournal.readFile(Path.of(file + ".journal")).stream()
                .anyMatch(entry -> entry.task().id().equals(task.id()));
        long inTable = queryFile("SELECT count(*) FROM tasks WHERE id = '" + task.id() + "'", Long.class);
        assertThat(journaled || inTable == 1).as("journaled or in the table").isTrue();
        store.list(io.gobstopper.tasks.TaskFilter.all());
        assertThat(queryFile(
                        "SELECT count(*) FROM tasks WHERE id = '" + task.id() + "' AND status = 'PENDING'", Long.class))
                .as("in the table once the writer caught up")
                .isEqualTo(1L);
    }

    @Test
    void aTaskLeftStartedComesBackPendingWithTheAttemptCounted() throws Exception {
        open();
        LiveTask task = inserted("send");
        assertThat(store.apply(task, new TaskChange.Start(now()))).isTrue();
        assertThat(store.apply(task, new TaskChange.Progress(50, "half"))).isTrue();
        store.list(TaskFilter.all()); // flush: the file now says STARTED, as it would when the process dies

        List<LiveTask> unfinished = reopen();

        assertThat(unfinished).singleElement().satisfies(found -> {
            TaskInfo info = found.snapshot();
            assertThat(info.id()).isEqualTo(task.id());
            assertThat(info.status()).isEqualTo(TaskStatus.PENDING);
            assertThat(info.retryCount()).isEqualTo(1);
            assertThat(info.startedAt()).isNull();
            assertThat(info.progress()).isZero();
            assertThat(info.progressMessage()).isNull();
        });
        assertThat(store.find(task.id()).orElseThrow().status()).isEqualTo(TaskStatus.PENDING);
    }

    @Test
    void aTaskWaitingToRetryKeepsItsDueTimeAcrossReopening() throws Exception {
        open();
        LiveTask task = inserted("send");
        Instant due = now().plus(Duration.ofMinutes(5));
        store.apply(task, new TaskChange.Start(now()));
        assertThat(store.apply(task, new TaskChange.Fail("java.lang.RuntimeException: boom", now(), due)))
                .isTrue();

        List<LiveTask> unfinished = reopen();

        assertThat(unfinished).singleElement().satisfies(found -> {
            TaskInfo info = found.snapshot();
            assertThat(info.status()).isEqualTo(TaskStatus.RETRY);
            assertThat(info.runAt()).isEqualTo(due);
            assertThat(info.retryCount()).isEqualTo(1);
            assertThat(info.error()).isEqualTo("java.lang.RuntimeException: boom");
        });
    }

    @Test
    void endedTasksAreNotReturnedAsUnfinished() throws Exception {
        open();
        LiveTask succeeded = inserted("a");
        store.apply(succeeded, new TaskChange.Start(now()));
        store.apply(succeeded, new TaskChange.Succeed("42", now()));
        LiveTask failed = inserted("b");
        store.apply(failed, new TaskChange.Start(now()));
        store.apply(failed, new TaskChange.Fail("x", now(), null));
        LiveTask cancelled = inserted("c");
        store.cancel(cancelled.id(), now());
        LiveTask pending = inserted("d");

        List<LiveTask> unfinished = reopen();

        assertThat(unfinished).extracting(LiveTask::id).containsExactly(pending.id());
        assertThat(store.find(succeeded.id()).orElseThrow()).satisfies(info -> {
            assertThat(info.status()).isEqualTo(TaskStatus.SUCCESS);
            assertThat(info.result()).isEqualTo("42");
            assertThat(info.progress()).isEqualTo(100);
        });
        assertThat(store.find(failed.id()).orElseThrow().status()).isEqualTo(TaskStatus.FAILED);
        assertThat(store.find(cancelled.id()).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
    }

    @Test
    void transitionsApplyOnlyFromTheirOwnStatus() throws Exception {
        open();
        LiveTask task = inserted("send");

        assertThat(store.apply(task, new TaskChange.Succeed("1", now())))
                .as("succeed a PENDING task")
                .isFalse();
        assertThat(store.apply(task, new TaskChange.Fail("e", now(), null)))
                .as("fail a PENDING task")
                .isFalse();
        assertThat(store.apply(task, new TaskChange.Progress(10, null)))
                .as("progress of a PENDING task")
                .isFalse();
        assertThat(store.apply(task, new TaskChange.Release()))
                .as("release a PENDING task")
                .isFalse();
        assertThat(task.status()).isEqualTo(TaskStatus.PENDING);

        assertThat(store.apply(task, new TaskChange.Start(now()))).isTrue();
        assertThat(store.apply(task, new TaskChange.Start(now())))
                .as("start a STARTED task")
                .isFalse();
        assertThat(store.apply(task, new TaskChange.Reject("e", now())))
                .as("reject a STARTED task")
                .isFalse();
        assertThat(store.apply(task, new TaskChange.Succeed("1", now()))).isTrue();
        assertThat(store.apply(task, new TaskChange.Succeed("2", now())))
                .as("succeed twice")
                .isFalse();
        assertThat(store.apply(task, new TaskChange.Fail("e", now(), null)))
                .as("fail a SUCCESS task")
                .isFalse();
        assertThat(store.apply(task, new TaskChange.Start(now())))
                .as("start a SUCCESS task")
                .isFalse();
        assertThatExceptionOfType(TaskStateException.class)
                .isThrownBy(() -> store.cancel(task.id(), now()))
                .satisfies(ex -> assertThat(ex.status()).isEqualTo(TaskStatus.SUCCESS));

        TaskInfo stored = store.list(TaskFilter.all()).tasks().get(0);
        assertThat(stored.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(stored.result()).isEqualTo("1");
    }

    @Test
    void aCancelRequestedWhileRunningWinsOverTheRunsOutcome() throws Exception {
        open();
        LiveTask task = inserted("send");
        assertThat(store.apply(task, new TaskChange.Start(now()))).isTrue();

        TaskInfo answer = store.cancel(task.id(), now());

        assertThat(answer.status()).as("still running").isEqualTo(TaskStatus.STARTED);
        assertThat(answer.cancelRequested()).isTrue();
        assertThat(store.apply(task, new TaskChange.Succeed("1", now())))
                .as("succeed after the request")
                .isFalse();
        assertThat(store.apply(task, new TaskChange.Fail("e", now(), null)))
                .as("fail after the request")
                .isFalse();
        assertThat(store.apply(task, new TaskChange.Stop("Cancelled while running", now())))
                .isTrue();
        TaskInfo stored = store.list(TaskFilter.all()).tasks().get(0);
        assertThat(stored.status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(stored.error()).isEqualTo("Cancelled while running");
    }

    @Test
    void aCancelledTaskCannotStart() throws Exception {
        open();
        LiveTask task = inserted("send");

        TaskInfo cancelled = store.cancel(task.id(), now());

        assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(store.apply(task, new TaskChange.Start(now()))).isFalse();
        assertThat(reopen()).isEmpty();
        assertThat(store.find(task.id()).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
    }

    @Test
    void retryAndDeleteWorkOnEndedTasksOnly() throws Exception {
        open();
        LiveTask task = inserted("send");
        assertThatExceptionOfType(TaskStateException.class).isThrownBy(() -> store.retry(task.id()));
        assertThatExceptionOfType(TaskStateException.class).isThrownBy(() -> store.delete(task.id()));
        store.apply(task, new TaskChange.Start(now()));
        store.apply(task, new TaskChange.Fail("e", now(), null));

        LiveTask again = store.retry(task.id());

        assertThat(again.snapshot().status()).isEqualTo(TaskStatus.PENDING);
        assertThat(again.snapshot().error()).isNull();
        assertThat(store.apply(again, new TaskChange.Start(now()))).isTrue();
        assertThat(store.apply(again, new TaskChange.Succeed("null", now()))).isTrue();
        store.delete(task.id());
        assertThat(store.find(task.id())).isEmpty();
        assertThatExceptionOfType(TaskNotFoundException.class).isThrownBy(() -> store.delete(task.id()));
    }

    @Test
    void aClosedStoreRefusesWork() throws Exception {
        open();
        store.close();

        assertThatExceptionOfType(TaskQueueUnavailableException.class)
                .isThrownBy(() -> store.insert(List.of(newTask("late"))))
                .withMessageContaining("is not open");
        assertThatExceptionOfType(TaskQueueUnavailableException.class).isThrownBy(() -> store.list(TaskFilter.all()));
    }

    @Test
    void aFileOfSchemaVersion3KeepsItsTasksWhenItsPrimaryKeyGoes() throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE tasks (id UUID PRIMARY KEY, name VARCHAR NOT NULL, category VARCHAR NOT NULL,
                        priority TINYINT NOT NULL, max_retries INTEGER NOT NULL, args VARCHAR NOT NULL,
                        kwargs VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, status VARCHAR NOT NULL,
                        started_at TIMESTAMP, completed_at TIMESTAMP, run_at TIMESTAMP, result VARCHAR, error VARCHAR,
                        retry_count INTEGER NOT NULL, progress TINYINT NOT NULL, progress_message VARCHAR,
                        depends_on VARCHAR, unique_key VARCHAR, timeout_ms BIGINT);
                    CREATE TABLE gobstopper_journal (stored_up_to BIGINT NOT NULL);
                    INSERT INTO gobstopper_journal VALUES (0);
                    CREATE TABLE gobstopper_schedules (name VARCHAR PRIMARY KEY, paused BOOLEAN NOT NULL,
                        last_fire_at TIMESTAMP);
                    CREATE TABLE gobstopper_schema (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL);
                    INSERT INTO gobstopper_schema VALUES (1, now()), (2, now()), (3, now());
                    """);
            statement.execute("INSERT INTO tasks VALUES ('" + id + "', 'kept', 'default', 2, 0, '[]', '{}', now(), "
                    + "'SUCCESS', now(), now(), NULL, '1', NULL, 0, 100, NULL, NULL, NULL, NULL)");
        }

        open();
        assertThat(store.find(id))
                .get()
                .extracting(TaskInfo::name, TaskInfo::status)
                .containsExactly("kept", TaskStatus.SUCCESS);
        store.close();
        store = null;
        assertThat(queryFile(
                        "SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'tasks' AND "
                                + "constraint_type = 'PRIMARY KEY'",
                        Long.class))
                .isZero();
        assertThat(queryFile("SELECT max(version) FROM gobstopper_schema", Integer.class))
                .isEqualTo(DuckDbSchema.CURRENT_VERSION);
    }

    @Test
    void aFileWrittenByANewerSchemaVersionIsRefused() throws Exception {
        open();
        store.close();
        store = null;
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO gobstopper_schema VALUES (99, now())");
        }

        assertThatExceptionOfType(TaskStoreException.class)
                .isThrownBy(this::open)
                .withMessageContaining(file.toAbsolutePath().normalize().toString())
                .withMessageContaining("has schema version 99")
                .withMessageContaining("newer gobstopper-tasks");
        store = null; // the failed open released the file

        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file)) {
            assertThat(connection.isValid(1))
                    .as("the file is free again after the failed open")
                    .isTrue();
        }
    }
}
