package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskPage;
import io.gobstopper.tasks.TaskStats;
import io.gobstopper.tasks.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Listing is newest first with filters and paging; stats count every stored task and show the live queues. */
public interface ListingAndStatsContract extends EngineContract {

    @Test
    default void listsNewestFirstWithFiltersAndPages() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            TaskEngine engine = fixture.engine();
            List<UUID> records = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                records.add(fixture.submitIn("alpha", "record", "a" + i));
            }
            UUID failed = fixture.submitIn("beta", "flaky", "b", 1);
            UUID beta = fixture.submitIn("beta", "record", "b-ok");
            records.forEach(id -> fixture.awaitStatus(id, TaskStatus.SUCCESS));
            fixture.awaitStatus(failed, TaskStatus.FAILED);
            fixture.awaitStatus(beta, TaskStatus.SUCCESS);

            TaskPage all = engine.list(TaskFilter.all());
            assertThat(all.total()).isEqualTo(7);
            assertThat(all.tasks())
                    .extracting(TaskInfo::id)
                    .containsExactly(
                            beta,
                            failed,
                            records.get(4),
                            records.get(3),
                            records.get(2),
                            records.get(1),
                            records.get(0));

            assertThat(engine.list(TaskFilter.byStatus(TaskStatus.FAILED)).tasks())
                    .extracting(TaskInfo::id)
                    .containsExactly(failed);
            TaskPage alpha = engine.list(new TaskFilter("alpha", null, null, 50, 0));
            assertThat(alpha.total()).isEqualTo(5);
            assertThat(alpha.tasks())
                    .allSatisfy(task -> assertThat(task.category()).isEqualTo("alpha"));
            assertThat(engine.list(new TaskFilter(null, null, "flaky", 50, 0)).tasks())
                    .extracting(TaskInfo::id)
                    .containsExactly(failed);
            assertThat(engine.list(new TaskFilter("beta", TaskStatus.SUCCESS, "record", 50, 0))
                            .tasks())
                    .extracting(TaskInfo::id)
                    .containsExactly(beta);
            assertThat(engine.list(new TaskFilter("alpha", TaskStatus.FAILED, null, 50, 0))
                            .total())
                    .isZero();

            TaskPage second = engine.list(new TaskFilter("alpha", null, null, 2, 2));
            assertThat(second.total()).isEqualTo(5);
            assertThat(second.limit()).isEqualTo(2);
            assertThat(second.offset()).isEqualTo(2);
            assertThat(second.tasks()).extracting(TaskInfo::id).containsExactly(records.get(2), records.get(1));
            TaskPage last = engine.list(new TaskFilter("alpha", null, null, 2, 4));
            assertThat(last.tasks()).extracting(TaskInfo::id).containsExactly(records.get(0));
            assertThat(engine.list(new TaskFilter("alpha", null, null, 2, 10)).tasks())
                    .isEmpty();
        }
    }

    @Test
    default void statsCountEveryStoredTaskAndShowTheQueues() {
        TaskEngineSettings settings =
                EngineFixture.SETTINGS.withCategory("configured", new TaskEngineSettings.CategorySettings(3, null));
        try (EngineFixture fixture = EngineFixture.start(storage(), settings)) {
            TaskEngine engine = fixture.engine();
            UUID ok1 = engine.submit("record", "ok1");
            UUID ok2 = fixture.submitIn("beta", "record", "ok2");
            UUID failed = fixture.submitIn("beta", "flaky", "f", 1);
            fixture.awaitStatus(ok1, TaskStatus.SUCCESS);
            fixture.awaitStatus(ok2, TaskStatus.SUCCESS);
            fixture.awaitStatus(failed, TaskStatus.FAILED);
            engine.resizeWorkers("paused", 0);
            fixture.submitIn("paused", "record", "w1");
            fixture.submitIn("paused", "record", "w2");
            UUID running = fixture.submitIn("busy", "block", "busy");
            fixture.tasks().awaitStarted("busy");

            // a shared store's queue figures are read every poll interval: they settle within one
            EngineFixture.await().untilAsserted(() -> {
                TaskStats stats = engine.stats();

                assertThat(stats.total()).isEqualTo(6);
                assertThat(stats.byStatus())
                        .containsEntry(TaskStatus.SUCCESS, 2L)
                        .containsEntry(TaskStatus.FAILED, 1L)
                        .containsEntry(TaskStatus.PENDING, 2L)
                        .containsEntry(TaskStatus.STARTED, 1L)
                        .containsEntry(TaskStatus.CANCELLED, 0L)
                        .containsEntry(TaskStatus.RETRY, 0L);
                assertThat(stats.byCategory())
                        .containsEntry("default", 1L)
                        .containsEntry("beta", 2L)
                        .containsEntry("paused", 2L)
                        .containsEntry("busy", 1L)
                        .hasSize(4);
                assertThat(stats.queues().get("paused"))
                        .extracting(
                                TaskStats.QueueStats::queued,
                                TaskStats.QueueStats::running,
                                TaskStats.QueueStats::workers)
                        .containsExactly(2, 0, 0);
                assertThat(stats.queues().get("busy")).isEqualTo(new TaskStats.QueueStats(0, 1, 2));
                assertThat(stats.queues().get("configured")).isEqualTo(new TaskStats.QueueStats(0, 0, 3));
                assertThat(stats.queues().get("default").workers()).isEqualTo(2);
                assertThat(stats.running()).isEqualTo(1);
                assertThat(stats.queued()).isEqualTo(2);
                assertThat(stats.registeredTasks())
                        .contains("block", "record", "flaky")
                        .isSorted();
            });

            fixture.tasks().release("busy");
            fixture.awaitStatus(running, TaskStatus.SUCCESS);
            assertThat(engine.stats().byStatus())
                    .containsEntry(TaskStatus.SUCCESS, 3L)
                    .containsEntry(TaskStatus.STARTED, 0L);
        }
    }

    @Test
    default void registeredTasksAreDescribed() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            assertThat(fixture.engine().describe("fail_fast")).hasValueSatisfying(task -> {
                assertThat(task.maxRetries()).isEqualTo(5);
                assertThat(task.category()).isEqualTo("default");
                assertThat(task.method()).isEqualTo(TestTasks.class.getName() + "#failFast(String)");
            });
            assertThat(fixture.engine().describe("nope")).isEmpty();
            assertThat(fixture.engine().registeredTasks())
                    .extracting(t -> t.name())
                    .isSorted()
                    .contains("record");
        }
    }
}
