package io.gobstopper.tasks.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.TaskStoreException;
import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.TaskChange;
import io.gobstopper.tasks.store.support.GroupCommitWriter;
import io.gobstopper.tasks.store.support.TrackedTask;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Work offered together shares one transaction, and a part that fails fails alone: the others are written, the
 * failing caller gets the failure, and the writer goes on writing.
 */
class GroupCommitWriterTests {

    @TempDir
    Path dir;

    private DuckDBConnection connection;
    private JdbcTemplate jdbc;
    private DuckDbBatchSink sink;
    private GroupCommitWriter<DuckDbBatchSink.Tx> writer;

    @BeforeEach
    void open() throws Exception {
        connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("writer.duckdb"));
        jdbc = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
        DuckDbSchema.migrate(jdbc, "writer.duckdb");
        sink = new DuckDbBatchSink(connection, jdbc, null, 0);
        writer = new GroupCommitWriter<>(sink, tasks -> {}, task -> {}, Duration.ofSeconds(30), "test-writer");
    }

    @AfterEach
    void close() throws Exception {
        writer.close();
        sink.close();
        connection.close();
    }

    @Test
    void aFailingCommandFailsAloneWhileTheInsertsOfTheSameBatchAreCommitted() {
        TrackedTask first = task();
        TrackedTask second = task();
        // offered before the writer starts, so all three land in its first transaction
        CompletableFuture<Void> firstStored = writer.insert(List.of(first));
        CompletableFuture<Integer> broken = writer.execute(tx -> tx.jdbc().update("DELETE FROM no_such_table"), null);
        CompletableFuture<Void> secondStored = writer.insert(List.of(second));
        writer.start();

        firstStored.join();
        secondStored.join();
        assertThatThrownBy(broken::join)
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(TaskStoreException.class)
                .hasMessageContaining("no_such_table");
        assertThat(storedIds())
                .containsExactlyInAnyOrder(first.task().id(), second.task().id());
    }

    @Test
    void aFailingInsertFailsOnlyItsSubmitterAndTheWriterCarriesOn() {
        TrackedTask original = task();
        writer.start();
        writer.insert(List.of(original)).join();

        // a row the table refuses (a task without a name), sharing a batch with a good one
        TrackedTask bad = TrackedTask.unstored(LiveTask.submitted(
                UUID.randomUUID(),
                null,
                "default",
                TaskPriority.NORMAL,
                0,
                "[]",
                "{}",
                Instant.now().truncatedTo(ChronoUnit.MICROS),
                null,
                java.util.List.of(),
                null,
                null));
        TrackedTask other = task();
        writer.close();
        writer = new GroupCommitWriter<>(sink, tasks -> {}, task -> {}, Duration.ofSeconds(30), "test-writer-2");
        CompletableFuture<Void> badStored = writer.insert(List.of(bad));
        CompletableFuture<Void> otherStored = writer.insert(List.of(other));
        writer.start();

        assertThatThrownBy(badStored::join)
                .hasCauseInstanceOf(TaskStoreException.class)
                .hasMessageContaining("Could not store the task");
        otherStored.join();
        TrackedTask after = task();
        writer.insert(List.of(after)).join();
        assertThat(storedIds())
                .containsExactlyInAnyOrder(
                        original.task().id(), other.task().id(), after.task().id());
    }

    @Test
    void batchedItemsOfOneKindAreWrittenByOneCallInTheSharedTransactionAndAnsweredAfterItsCommit() {
        jdbc.execute("CREATE TABLE marks (label TEXT NOT NULL)");
        List<Integer> callSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
        GroupCommitWriter.Batch<DuckDbBatchSink.Tx, String, Integer> marks = (tx, labels) -> {
            callSizes.add(labels.size());
            List<Integer> answers = new java.util.ArrayList<>();
            for (String label : labels) {
                if (label == null) {
                    throw new IllegalStateException("a mark needs a label");
                }
                tx.jdbc().update("INSERT INTO marks VALUES (?)", label);
                answers.add(label.length());
            }
            return answers;
        };
        TrackedTask task = task();
        // offered before the writer starts, so all of them land in its first transaction
        CompletableFuture<Integer> a = writer.add(marks, "a");
        CompletableFuture<Void> stored = writer.insert(List.of(task));
        CompletableFuture<Integer> bb = writer.add(marks, "bb");
        CompletableFuture<Integer> ccc = writer.add(marks, "ccc");
        writer.start();

        assertThat(List.of(a.join(), bb.join(), ccc.join())).containsExactly(1, 2, 3);
        stored.join();
        assertThat(callSizes).as("one call for the three").containsExactly(3);
        assertThat(jdbc.queryForList("SELECT label FROM marks ORDER BY label", String.class))
                .containsExactly("a", "bb", "ccc");
        assertThat(storedIds()).containsExactly(task.task().id());

        callSizes.clear();
        writer.close();
        writer = new GroupCommitWriter<>(sink, tasks -> {}, t -> {}, Duration.ofSeconds(30), "test-writer-3");
        CompletableFuture<Integer> good = writer.add(marks, "good");
        CompletableFuture<Integer> bad = writer.add(marks, null);
        writer.start();

        assertThat(good.join()).isEqualTo(4);
        assertThatThrownBy(bad::join)
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(TaskStoreException.class)
                .hasMessageContaining("a mark needs a label");
        assertThat(callSizes).as("together, then each alone").containsExactly(2, 1, 1);
        assertThat(jdbc.queryForList("SELECT label FROM marks ORDER BY label", String.class))
                .containsExactly("a", "bb", "ccc", "good");
    }

    @Test
    void aChangeWaitsForTheWriteDelayUnlessAFlushAsksForIt() {
        TrackedTask task = task();
        writer.start();
        writer.insert(List.of(task)).join();

        assertThat(task.task().apply(new TaskChange.Start(Instant.now().truncatedTo(ChronoUnit.MICROS))))
                .isTrue();
        writer.changed(task);
        assertThat(storedStatus(task.task().id()))
                .as("within the 30 s write delay")
                .isEqualTo("PENDING");

        writer.flush().join();
        assertThat(storedStatus(task.task().id())).isEqualTo("STARTED");
        assertThat(task.storedStatus()).isEqualTo(TaskStatus.STARTED);
    }

    private List<UUID> storedIds() {
        return jdbc.queryForList("SELECT id FROM tasks", UUID.class);
    }

    private String storedStatus(UUID id) {
        return jdbc.queryForObject("SELECT status FROM tasks WHERE id = ?", String.class, id);
    }

    private static TrackedTask task() {
        return TrackedTask.unstored(LiveTask.submitted(
                UUID.randomUUID(),
                "noop",
                "default",
                TaskPriority.NORMAL,
                0,
                "[]",
                "{}",
                Instant.now().truncatedTo(ChronoUnit.MICROS),
                null,
                java.util.List.of(),
                null,
                null));
    }
}
