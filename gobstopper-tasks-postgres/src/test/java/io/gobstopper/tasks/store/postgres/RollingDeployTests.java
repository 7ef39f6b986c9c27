package io.gobstopper.tasks.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.UnrunnableTasks;
import io.gobstopper.tasks.engine.ChangedCodeContract;
import io.gobstopper.tasks.engine.EngineFixture;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rolling deploy on one PostgreSQL schema: an instance of the new version, which no longer has a task, and one of
 * the old version, which has it, work side by side. The new instance never claims the old task's stored tasks, lists
 * them as unrunnable and runs the tasks behind them; the old instance runs them.
 */
class RollingDeployTests {

    private final SharedEngines cluster = new SharedEngines();

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void aTaskOnlyTheOldVersionKnowsWaitsForTheOldInstanceWhileTheNewOneWorks() {
        SharedEngines.Node newer = cluster.start("new");
        SharedEngines.Node older = cluster.start(
                "old",
                Duration.ofSeconds(30),
                ChangedCodeContract.PAUSED, // the old instance is busy elsewhere: its workers of the category wait
                new ChangedCodeContract.Legacy());
        UUID legacy = older.engine().submit(TaskRequest.of("legacy_report", "q3"));
        UUID behind = newer.engine()
                .submit(TaskRequest.builder("record")
                        .args("behind")
                        .category(ChangedCodeContract.CATEGORY)
                        .build());

        EngineFixture.await()
                .until(() -> newer.engine().get(behind).map(TaskInfo::status).orElse(null) == TaskStatus.SUCCESS);
        EngineFixture.await()
                .untilAsserted(() -> assertThat(newer.engine().unrunnable())
                        .containsExactly(UnrunnableTasks.of("legacy_report", 1)));
        assertThat(newer.engine().get(legacy).orElseThrow().status()).isEqualTo(TaskStatus.PENDING);
        assertThat(older.engine().unrunnable()).isEmpty();

        older.engine().resizeWorkers(ChangedCodeContract.CATEGORY, 1);

        TaskInfo done = EngineFixture.await()
                .until(() -> newer.engine().get(legacy).orElse(null), task -> task.status() == TaskStatus.SUCCESS);
        assertThat(done.nodeId()).isEqualTo("old");
        assertThat(done.result()).isEqualTo("\"legacy q3\"");
        EngineFixture.await()
                .untilAsserted(() -> assertThat(newer.engine().unrunnable()).isEmpty());
    }
}
