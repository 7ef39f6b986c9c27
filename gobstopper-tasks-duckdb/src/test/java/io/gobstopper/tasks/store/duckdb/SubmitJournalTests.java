package io.gobstopper.tasks.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal reads back what it wrote, and stops at a torn or damaged record instead of inventing tasks. */
class SubmitJournalTests {

    @TempDir
    Path dir;

    @Test
    void readsBackEveryFieldOfEveryRecordInOrderWithRisingSequenceNumbers() throws IOException {
        Path file = dir.resolve("t.journal");
        List<TaskInfo> tasks = List.of(
                task("send_email", "[\"ada@example.com\", \"Grüße ✓\"]", null),
                task("big", "[\"" + "x".repeat(200_000) + "\"]", Instant.parse("2026-11-23T10:00:00.000001Z")));
        try (SubmitJournal journal = SubmitJournal.open(file, 41)) {
            assertThat(journal.append(tasks.subList(0, 1))).isEqualTo(42);
            assertThat(journal.append(tasks.subList(1, 2))).isEqualTo(43);
        }
        try (SubmitJournal journal = SubmitJournal.open(file, 0)) {
            assertThat(journal.read()).extracting(SubmitJournal.Entry::seq).containsExactly(42L, 43L);
            assertThat(journal.read()).extracting(SubmitJournal.Entry::task).containsExactlyElementsOf(tasks);
            assertThat(journal.append(tasks.subList(0, 1)))
                    .as("numbering continues after the file's records")
                    .isEqualTo(44);
        }
    }

    @Test
    void aTornLastRecordIsIgnored() throws IOException {
        Path file = dir.resolve("t.journal");
        try (SubmitJournal journal = SubmitJournal.open(file, 0)) {
            journal.append(List.of(task("a", "[]", null), task("b", "[]", null)));
        }
        long whole = Files.size(file);
        try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(whole - 5); // the process died in the middle of writing b
        }
        try (SubmitJournal journal = SubmitJournal.open(file, 0)) {
            assertThat(journal.read()).extracting(entry -> entry.task().name()).containsExactly("a");
        }
    }

    @Test
    void readingStopsAtADamagedRecord() throws IOException {
        Path file = dir.resolve("t.journal");
        try (SubmitJournal journal = SubmitJournal.open(file, 0)) {
            journal.append(List.of(task("a", "[]", null), task("b", "[]", null), task("c", "[]", null)));
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x55; // somewhere inside b
        Files.write(file, bytes);
        try (SubmitJournal journal = SubmitJournal.open(file, 0)) {
            assertThat(journal.read()).extracting(entry -> entry.task().name()).containsExactly("a");
        }
    }

    @Test
    void anEmptiedJournalReadsNothingAndKeepsNumbering() throws IOException {
        Path file = dir.resolve("t.journal");
        try (SubmitJournal journal = SubmitJournal.open(file, 0)) {
            journal.append(List.of(task("a", "[]", null)));
            journal.truncate();
            assertThat(journal.read()).isEmpty();
            assertThat(journal.append(List.of(task("b", "[]", null)))).isEqualTo(2);
            assertThat(journal.read()).extracting(entry -> entry.task().name()).containsExactly("b");
        }
    }

    private static TaskInfo task(String name, String args, Instant runAt) {
        return new TaskInfo(
                UUID.randomUUID(),
                name,
                "default",
                TaskPriority.HIGH,
                TaskStatus.PENDING,
                Instant.parse("2026-11-23T09:30:00.123456Z"),
                null,
                null,
                runAt,
                null,
                null,
                0,
                3,
                args,
                "{\"k\": 1}",
                0,
                null);
    }
}
