package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** One worker runs waiting tasks by priority, and in arrival order within a priority. */
public interface PriorityOrderContract extends EngineContract {

    @Test
    default void aSingleWorkerRunsCriticalThenHighThenNormalThenLowAndFifoWithinEach() {
        try (EngineFixture fixture = EngineFixture.start(storage(), EngineFixture.SETTINGS.withWorkers(1))) {
            TestTasks tasks = fixture.tasks();
            fixture.engine().submit("block", "gate");
            tasks.awaitStarted("gate");

            String[][] submitted = {
                {"low-1", "LOW"}, {"normal-1", "NORMAL"}, {"critical-1", "CRITICAL"}, {"high-1", "HIGH"},
                {"low-2", "LOW"}, {"critical-2", "CRITICAL"}, {"normal-2", "NORMAL"}, {"high-2", "HIGH"},
                {"normal-3", "NORMAL"}, {"critical-3", "CRITICAL"}
            };
            List<UUID> ids = new ArrayList<>();
            for (String[] task : submitted) {
                ids.add(fixture.engine()
                        .submit(TaskRequest.builder("record")
                                .args(task[0])
                                .priority(TaskPriority.parse(task[1]))
                                .build()));
            }
            assertThat(tasks.order())
                    .as("nothing runs while the only worker is busy")
                    .isEmpty();

            tasks.release("gate");
            ids.forEach(id -> fixture.awaitStatus(id, TaskStatus.SUCCESS));

            assertThat(tasks.order())
                    .containsExactly(
                            "critical-1",
                            "critical-2",
                            "critical-3",
                            "high-1",
                            "high-2",
                            "normal-1",
                            "normal-2",
                            "normal-3",
                            "low-1",
                            "low-2");
        }
    }

    @Test
    default void aCategoryOverrideOfOneWorkerAlsoOrdersByPriority() {
        TaskEngineSettings settings = EngineFixture.SETTINGS
                .withWorkers(4)
                .withCategory("serial", new TaskEngineSettings.CategorySettings(1, null));
        try (EngineFixture fixture = EngineFixture.start(storage(), settings)) {
            TestTasks tasks = fixture.tasks();
            fixture.submitIn("serial", "block", "gate");
            tasks.awaitStarted("gate");
            List<UUID> ids = new ArrayList<>();
            for (TaskPriority priority : TaskPriority.values()) { // LOW first, CRITICAL last
                ids.add(fixture.engine()
                        .submit(TaskRequest.builder("record")
                                .args(priority.name())
                                .category("serial")
                                .priority(priority)
                                .build()));
            }

            tasks.release("gate");
            ids.forEach(id -> fixture.awaitStatus(id, TaskStatus.SUCCESS));

            assertThat(tasks.order()).containsExactly("CRITICAL", "HIGH", "NORMAL", "LOW");
            assertThat(fixture.engine().get(ids.get(0)).orElseThrow().category())
                    .isEqualTo("serial");
        }
    }
}
