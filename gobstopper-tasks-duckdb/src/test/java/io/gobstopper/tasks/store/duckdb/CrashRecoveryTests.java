package io.gobstopper.tasks.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.ChildJvm;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed with SIGKILL loses nothing: committed results stay, running tasks run again (counting the
 * attempt), queued tasks run once.
 */
class CrashRecoveryTests {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int QUICK = 3;
    private static final int SLOW = 6;

    @TempDir
    Path dir;

    @Test
    void afterAKillEveryTaskEndsSuccessAndOnlyTheRunningOnesRunTwice() throws Exception {
        Path db = dir.resolve("crash.duckdb");
        Path log = dir.resolve("runs.log");
        List<UUID> quick;
        List<UUID> slow;
        List<UUID> running;
        try (ChildJvm child = ChildJvm.start(
                CrashChild.class,
                "crash",
                db.toString(),
                log.toString(),
                Integer.toString(QUICK),
                Integer.toString(SLOW))) {
            quick = ids(child.expect("quick", WAIT));
            assertThat(child.expect("committed", WAIT)).containsExactly(Integer.toString(QUICK));
            slow = ids(child.expect("slow", WAIT));
            running = ids(child.expect("running", WAIT));

            child.kill();
        }
        assertThat(quick).hasSize(QUICK);
        assertThat(slow).hasSize(SLOW);
        assertThat(running).hasSize(2).isSubsetOf(slow);
        List<UUID> queued = new ArrayList<>(slow);
        queued.removeAll(running);
        Map<String, Long> linesBeforeRestart = countLines(log);
        assertThat(running)
                .allSatisfy(id -> assertThat(linesBeforeRestart)
                        .containsEntry("start " + id, 1L)
                        .doesNotContainKey("end " + id));

        try (ChildJvm child = ChildJvm.start(
                CrashChild.class, "finish", db.toString(), log.toString(), Integer.toString(QUICK + SLOW))) {
            child.expect("all-done", WAIT);
            child.expect("closed", WAIT);
            assertThat(child.awaitExit(WAIT)).isZero();
        }

        Map<String, Long> lines = countLines(log);
        Map<UUID, TaskInfo> stored;
        try (DuckDbTaskStore store = new DuckDbTaskStore(db, Duration.ofMillis(50))) {
            assertThat(store.open(Instant.now())).as("unfinished tasks").isEmpty();
            stored = store.list(TaskFilter.all()).tasks().stream()
                    .collect(Collectors.toMap(TaskInfo::id, Function.identity()));
        }
        assertThat(stored).hasSize(QUICK + SLOW);
        assertThat(stored.values()).allSatisfy(task -> assertThat(task.status()).isEqualTo(TaskStatus.SUCCESS));
        for (UUID id : quick) {
            assertRuns(lines, id, 1);
            assertThat(stored.get(id).retryCount())
                    .as("retries of committed task %s", id)
                    .isZero();
        }
        for (UUID id : running) {
            assertRuns(lines, id, 2);
            assertThat(stored.get(id).retryCount())
                    .as("retries of task %s running at the kill", id)
                    .isEqualTo(1);
        }
        for (UUID id : queued) {
            assertRuns(lines, id, 1);
            assertThat(stored.get(id).retryCount())
                    .as("retries of task %s queued at the kill", id)
                    .isZero();
        }
    }

    private static void assertRuns(Map<String, Long> lines, UUID id, long starts) {
        assertThat(lines.getOrDefault("start " + id, 0L)).as("starts of %s", id).isEqualTo(starts);
        assertThat(lines.getOrDefault("end " + id, 0L)).as("ends of %s", id).isEqualTo(1L);
    }

    private static List<UUID> ids(List<String> words) {
        return words.stream().map(UUID::fromString).toList();
    }

    private static Map<String, Long> countLines(Path log) throws Exception {
        try (var lines = Files.lines(log)) {
            return lines.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        }
    }
}
