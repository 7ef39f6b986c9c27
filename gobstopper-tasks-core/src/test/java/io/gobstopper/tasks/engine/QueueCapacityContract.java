package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.gobstopper.tasks.BatchItemException;
import io.gobstopper.tasks.QueueFullException;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A category holds at most its queue capacity of unfinished tasks; past it a submit is refused and nothing lost. */
public interface QueueCapacityContract extends EngineContract {

    @Test
    default void pastItsQueueCapacityACategoryRefusesNewTasksAndLosesNoneItAccepted() {
        TaskEngineSettings settings = EngineFixture.SETTINGS.withCategory(
                "bounded", new TaskEngineSettings.CategorySettings(1, null, 20, null));
        try (EngineFixture fixture = EngineFixture.start(storage(), settings)) {
            List<UUID> accepted = new ArrayList<>();
            accepted.add(fixture.submitIn("bounded", "block", "first"));
            fixture.tasks().awaitStarted("first");
            for (int i = 1; i < 20; i++) {
                accepted.add(fixture.submitIn("bounded", "record", "r" + i));
            }

            assertThatExceptionOfType(QueueFullException.class)
                    .isThrownBy(() -> fixture.submitIn("bounded", "record", "r20"))
                    .withMessageContaining("'bounded'")
                    .withMessageContaining("20")
                    .withMessageContaining("gobstopper.tasks.categories.bounded.queue-capacity")
                    .satisfies(ex -> assertThat(ex.retryAfter()).isPositive());
            assertThatExceptionOfType(BatchItemException.class)
                    .as("a batch counts too")
                    .isThrownBy(() -> fixture.engine()
                            .submitAll(List.of(TaskRequest.builder("record")
                                    .args("b")
                                    .category("bounded")
                                    .build())))
                    .satisfies(ex -> assertThat(ex.reason()).isInstanceOf(QueueFullException.class));
            fixture.submitIn("other", "record", "elsewhere"); // other categories are not bounded by it

            fixture.tasks().release("first");
            accepted.forEach(id -> fixture.awaitStatus(id, TaskStatus.SUCCESS));
            assertThat(fixture.tasks().runs("r20")).isZero();
            UUID roomAgain = fixture.submitIn("bounded", "record", "again");
            fixture.awaitStatus(roomAgain, TaskStatus.SUCCESS);
        }
    }
}
