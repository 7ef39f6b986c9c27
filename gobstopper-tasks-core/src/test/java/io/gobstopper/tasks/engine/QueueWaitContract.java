package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gobstopper.tasks.TaskStats;
import io.gobstopper.tasks.TaskStatus;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How long a category's oldest waiting task has waited, against the category's max-wait. */
public interface QueueWaitContract extends EngineContract {

    @Test
    default void aCategoryWhoseOldestTaskWaitsPastItsMaxWaitIsOverdueUntilItCatchesUp() {
        TaskEngineSettings settings = EngineFixture.SETTINGS.withCategory(
                "slow", new TaskEngineSettings.CategorySettings(0, null, null, null, Duration.ofMillis(200)));
        try (EngineFixture fixture = EngineFixture.start(storage(), settings)) {
            TaskEngine engine = fixture.engine();
            assertThat(engine.queues().get("slow").oldestWait()).isZero();
            assertThat(engine.queues().get("slow").overdue()).isFalse();

            UUID waiting = fixture.submitIn("slow", "record", "late");
            EngineFixture.await().until(() -> engine.queues().get("slow").overdue());
            TaskStats.QueueStats overdue = engine.queues().get("slow");
            assertThat(overdue.oldestWait()).isGreaterThan(Duration.ofMillis(200));
            assertThat(overdue.maxWait()).isEqualTo(Duration.ofMillis(200));
            assertThat(engine.queues().get("default").overdue())
                    .as("no target, never overdue")
                    .isFalse();

            engine.resizeWorkers("slow", 1);
            fixture.awaitStatus(waiting, TaskStatus.SUCCESS);
            // a shared store's queue figures are read every poll interval: they settle within one
            EngineFixture.await()
                    .untilAsserted(() ->
                            assertThat(engine.queues().get("slow").oldestWait()).isZero());
            assertThat(engine.queues().get("slow").overdue()).isFalse();
        }
    }

    @Test
    default void aMaxWaitOfZeroIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> EngineFixture.SETTINGS.withCategory(
                        "x", new TaskEngineSettings.CategorySettings(1, null, null, null, Duration.ZERO)))
                .hasMessageContaining("categories.x.max-wait must be more than zero");
    }
}
