package io.gobstopper.tasks.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.TaskChange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks whose submits returned once journaled are restored at the next start if the table never got them; tasks the
 * table already had are never restored again, even if a lost truncation left their records in the journal.
 */
class JournalRestoreTests {

    @TempDir
    Path dir;

    @Test
    void aJournaledTaskTheTableNeverGotIsStoredAtTheNextStartAndQueued() throws Exception {
        Path file = dir.resolve("tasks.duckdb");
        try (DuckDbTaskStore store = new DuckDbTaskStore(file, Duration.ofMillis(50))) {
            store.open(Instant.now());
        }
        TaskInfo lost = task("lost");
        try (SubmitJournal journal = SubmitJournal.open(journalOf(file), 0)) {
            journal.append(List.of(lost)); // the process died after answering the submit, before its transaction
        }

        try (DuckDbTaskStore store = new DuckDbTaskStore(file, Duration.ofMillis(50))) {
            List<LiveTask> unfinished = store.open(Instant.now());

            assertThat(unfinished).extracting(LiveTask::snapshot).containsExactly(lost);
            assertThat(store.find(lost.id())).contains(lost);
        }
        assertThat(Files.size(journalOf(file)))
                .as("emptied once the table holds it")
                .isZero();
    }

    @Test
    void aTaskTheTableAlreadyHeldIsNeverRestoredAgainEvenAfterItWasDeleted() throws Exception {
        Path file = dir.resolve("tasks.duckdb");
        LiveTask task = LiveTask.submitted(
                UUID.randomUUID(),
                "once",
                "default",
                TaskPriority.NORMAL,
                0,
                "[]",
                "{}",
                Instant.now().truncatedTo(ChronoUnit.MICROS),
                null,
                java.util.List.of(),
                null,
                null);
        try (DuckDbTaskStore store = new DuckDbTaskStore(file, Duration.ofMillis(50))) {
            store.open(Instant.now());
            store.insert(List.of(task)).join(); // journaled as record 1, then stored
            assertThat(store.apply(task, new TaskChange.Start(Instant.now()))).isTrue();
            assertThat(store.apply(task, new TaskChange.Succeed(null, Instant.now())))
                    .isTrue();
            store.list(io.gobstopper.tasks.TaskFilter.all()); // writes the end
            store.delete(task.id());
        }
        // a crash that lost the journal's truncation: record 1 is still in the file
        try (SubmitJournal journal = SubmitJournal.open(journalOf(file), 0)) {
            journal.truncate();
        }
        try (SubmitJournal stale = SubmitJournal.open(journalOf(file), 0)) {
            stale.append(List.of(task.snapshot()));
        }

        try (DuckDbTaskStore store = new DuckDbTaskStore(file, Duration.ofMillis(50))) {
            assertThat(store.open(Instant.now())).isEmpty();
            assertThat(store.find(task.id())).isEmpty();
        }
    }

    private static Path journalOf(Path database) {
        return Path.of(database + ".journal");
    }

    private static TaskInfo task(String name) {
        return new TaskInfo(
                UUID.randomUUID(),
                name,
                "default",
                TaskPriority.HIGH,
                TaskStatus.PENDING,
                Instant.now().truncatedTo(ChronoUnit.MICROS),
                null,
                null,
                null,
                null,
                null,
                0,
                2,
                "[1]",
                "{}",
                0,
                null);
    }
}
