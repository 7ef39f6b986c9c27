package io.gobstopper.tasks.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStats;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.engine.EngineFixture;
import io.gobstopper.tasks.engine.TaskEngineSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog larger than the queue window: memory holds a window of each category's queue, the rest waits in the
 * table, and the order, cancels, reads, counts, dependants and restarts behave as if all were held.
 */
class QueueWindowTests {

    private static final int WINDOW = 10;

    private static final TaskEngineSettings PAUSED =
            EngineFixture.SETTINGS.withCategory("backlog", new TaskEngineSettings.CategorySettings(0, null));

    private static final TaskEngineSettings ONE_WORKER =
            EngineFixture.SETTINGS.withCategory("backlog", new TaskEngineSettings.CategorySettings(1, null));

    @TempDir
    Path dir;

    private EngineFixture start(TaskEngineSettings settings) {
        return EngineFixture.start(new DuckDbTestStorage(dir, WINDOW), settings);
    }

    private static DuckDbTaskStore store(EngineFixture fixture) {
        return (DuckDbTaskStore) fixture.engine().store();
    }

    /** Submits a {@code record} task of the label to the category {@code backlog}. */
    private static UUID submit(EngineFixture fixture, String label, TaskPriority priority) {
        return fixture.engine()
                .submit(TaskRequest.builder("record")
                        .args(label)
                        .category("backlog")
                        .priority(priority)
                        .build());
    }

    /** Submits a {@code record} task of the label (category {@code default}) that waits for the parent. */
    private static UUID submitAfter(EngineFixture fixture, String label, UUID parent) {
        return fixture.engine()
                .submit(TaskRequest.builder("record")
                        .args(label)
                        .dependsOn(parent)
                        .build());
    }

    /** Submits {@code count} NORMAL tasks labelled {@code task-0} on, all written to the table when it returns. */
    private static List<UUID> submitNormal(EngineFixture fixture, int count) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(submit(fixture, "task-" + i, TaskPriority.NORMAL));
        }
        fixture.engine().list(io.gobstopper.tasks.TaskFilter.all()); // waits for pending writes
        return ids;
    }

    /** Submits {@code count} tasks of mixed priorities; returns their labels in the order they must run. */
    private static List<String> submitMixed(EngineFixture fixture, int count, List<UUID> ids) {
        List<String[]> expected = new ArrayList<>();
        TaskPriority[] priorities = {TaskPriority.NORMAL, TaskPriority.LOW, TaskPriority.NORMAL, TaskPriority.HIGH};
        for (int i = 0; i < count; i++) {
            TaskPriority priority = priorities[i % priorities.length];
            String label = priority + "-" + i;
            ids.add(submit(fixture, label, priority));
            expected.add(new String[] {label, String.valueOf(priority.level()), String.valueOf(i)});
        }
        expected.sort(Comparator.comparingInt((String[] task) -> -Integer.parseInt(task[1]))
                .thenComparingInt(task -> Integer.parseInt(task[2])));
        return expected.stream().map(task -> task[0]).toList();
    }

    @Test
    void aBacklogRunsInPriorityThenFifoOrderWhileMemoryHoldsOnlyAWindowOfIt() {
        try (EngineFixture fixture = start(PAUSED)) {
            List<UUID> ids = new ArrayList<>();
            List<String> expected = new ArrayList<>(submitMixed(fixture, 100, ids));
            UUID critical = submit(fixture, "critical", TaskPriority.CRITICAL);
            ids.add(critical);
            expected.add(0, "critical");
            fixture.engine().list(io.gobstopper.tasks.TaskFilter.all()); // the rows are written

            assertThat(fixture.engine().queues().get("backlog").queued()).isEqualTo(101);
            assertThat(store(fixture).spilledByCategory()).containsEntry("backlog", 101L - 31);
            EngineFixture.await()
                    .untilAsserted(() -> assertThat(store(fixture).heldInMemory())
                            .as("a window per priority, not the backlog")
                            .isLessThanOrEqualTo(4 * WINDOW));

            fixture.engine().resizeWorkers("backlog", 1);
            ids.forEach(id -> fixture.awaitStatus(id, TaskStatus.SUCCESS));
            assertThat(fixture.tasks().order()).containsExactlyElementsOf(expected);
            assertThat(store(fixture).spilledByCategory()).isEmpty();
        }
    }

    @Test
    void aTaskInTheBacklogCanBeReadListedCountedAndCancelledAndTheCancelledOneNeverRuns() {
        try (EngineFixture fixture = start(PAUSED)) {
            List<UUID> ids = submitNormal(fixture, 50);
            UUID spilled = ids.get(40);
            EngineFixture.await().until(() -> store(fixture).heldInMemory() <= 2 * WINDOW);

            TaskInfo read = fixture.engine().get(spilled).orElseThrow();
            assertThat(read.status()).isEqualTo(TaskStatus.PENDING);
            assertThat(read.args()).isEqualTo("[\"task-40\"]");
            TaskStats stats = fixture.engine().stats();
            assertThat(stats.byStatus().get(TaskStatus.PENDING)).isEqualTo(50);
            assertThat(stats.queued()).isEqualTo(50);
            assertThat(fixture.engine()
                            .list(io.gobstopper.tasks.TaskFilter.all())
                            .total())
                    .isEqualTo(50);

            assertThat(fixture.engine().cancel(spilled).status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(fixture.engine().queues().get("backlog").queued()).isEqualTo(49);
            assertThat(fixture.engine().get(spilled).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> fixture.engine().cancel(spilled))
                    .isInstanceOf(io.gobstopper.tasks.TaskStateException.class);

            fixture.engine().resizeWorkers("backlog", 1);
            ids.stream().filter(id -> !id.equals(spilled)).forEach(id -> fixture.awaitStatus(id, TaskStatus.SUCCESS));
            assertThat(fixture.tasks().order()).hasSize(49).doesNotContain("task-40");
            assertThat(fixture.engine().get(spilled).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(fixture.engine().queues().get("backlog").queued()).isZero();
        }
    }

    @Test
    void aBacklogLargerThanTheWindowIsReadBackInOrderAfterARestart() {
        List<UUID> ids = new ArrayList<>();
        try (EngineFixture fixture = start(PAUSED)) {
            List<String> expected = submitMixed(fixture, 60, ids);
            fixture.restart(PAUSED);
            assertThat(fixture.engine().queues().get("backlog").queued()).isEqualTo(60);
            EngineFixture.await()
                    .untilAsserted(() -> assertThat(store(fixture).heldInMemory())
                            .as("recovery reads a window, not the backlog")
                            .isLessThanOrEqualTo(3 * WINDOW));

            fixture.restart(ONE_WORKER);
            ids.forEach(id -> fixture.awaitStatus(id, TaskStatus.SUCCESS));
            assertThat(fixture.tasks().order()).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aDependantOfATaskInTheBacklogWaitsForItAndRunsAfterIt() {
        try (EngineFixture fixture = start(PAUSED)) {
            List<UUID> ids = submitNormal(fixture, 30);
            UUID child = submitAfter(fixture, "child", ids.get(25));
            UUID cancelledParent = ids.get(28);
            UUID orphan = submitAfter(fixture, "orphan", cancelledParent);
            assertThat(fixture.engine().get(child).orElseThrow().status()).isEqualTo(TaskStatus.PENDING);

            fixture.engine().cancel(cancelledParent);
            fixture.awaitStatus(orphan, TaskStatus.CANCELLED);
            assertThat(fixture.engine().get(child).orElseThrow().status()).isEqualTo(TaskStatus.PENDING);

            fixture.engine().resizeWorkers("backlog", 1);
            fixture.awaitStatus(child, TaskStatus.SUCCESS);
            assertThat(fixture.tasks().order()).containsSubsequence("task-25", "child");
            assertThat(fixture.tasks().order()).doesNotContain("task-28", "orphan");
        }
    }

    @Test
    void aTaskReadBackFromTheBacklogAgesFromWhenItWasDueAsIfHeldAllAlong() {
        java.time.Duration aging = java.time.Duration.ofMillis(100);
        try (EngineFixture fixture = start(PAUSED.withPriorityAging(aging))) {
            List<UUID> ids = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 3 * WINDOW; i++) {
                ids.add(submit(fixture, "low-" + i, TaskPriority.LOW));
                expected.add("low-" + i);
            }
            java.time.Instant submitted = java.time.Instant.now();
            // the LOW tasks wait more than two aging intervals: each now ranks at least as a HIGH task just submitted
            EngineFixture.await()
                    .pollDelay(aging.multipliedBy(3))
                    .until(() -> java.time.Duration.between(submitted, java.time.Instant.now())
                                    .compareTo(aging.multipliedBy(3))
                            >= 0);
            ids.add(submit(fixture, "high", TaskPriority.HIGH));
            expected.add("high");

            fixture.engine().resizeWorkers("backlog", 1);
            ids.forEach(id -> fixture.awaitStatus(id, TaskStatus.SUCCESS));
            assertThat(fixture.tasks().order())
                    .as("the LOW tasks read back from the backlog have aged as long as those held")
                    .containsExactlyElementsOf(expected);
        }
    }
}
