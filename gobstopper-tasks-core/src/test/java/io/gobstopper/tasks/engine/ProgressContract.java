package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskStatus;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A running task's progress is visible at once; a finished task shows 100 % and its result. */
public interface ProgressContract extends EngineContract {

    @Test
    default void progressIsVisibleWhileTheTaskRunsAndIsCompleteWithTheResultAfterwards() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID id = fixture.engine().submit("progress", "p");
            fixture.tasks().awaitStarted("p");

            TaskInfo running = fixture.engine().get(id).orElseThrow();
            assertThat(running.status()).isEqualTo(TaskStatus.STARTED);
            assertThat(running.isRunning()).isTrue();
            assertThat(running.progress()).isEqualTo(40);
            assertThat(running.progressMessage()).isEqualTo("msg");
            assertThat(running.startedAt()).isNotNull();
            assertThat(running.elapsedSeconds(Instant.now())).isNotNull().isGreaterThanOrEqualTo(0.0);
            TaskInfo listed = fixture.engine()
                    .list(TaskFilter.byStatus(TaskStatus.STARTED))
                    .tasks()
                    .get(0);
            assertThat(listed.progress()).isEqualTo(40);

            fixture.tasks().release("p");
            TaskInfo done = fixture.awaitStatus(id, TaskStatus.SUCCESS);

            assertThat(done.progress()).isEqualTo(100);
            assertThat(done.isCompleted()).isTrue();
            assertThat(done.result()).isIn("{\"key\":\"p\",\"done\":true}", "{\"done\":true,\"key\":\"p\"}");
            assertThat(done.completedAt()).isAfterOrEqualTo(done.startedAt());
        }
    }

    @Test
    default void progressIsStoredSoThatItSurvivesARestart() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID id = fixture.engine().submit("progress", "p");
            fixture.awaitStatus(id, TaskStatus.STARTED);
            fixture.tasks().release("p");
            fixture.awaitStatus(id, TaskStatus.SUCCESS);

            fixture.restart(EngineFixture.SETTINGS);

            TaskInfo stored = fixture.engine().get(id).orElseThrow();
            assertThat(stored.progress()).isEqualTo(100);
            assertThat(stored.result()).contains("\"done\":true");
        }
    }

    @Test
    default void progressAboveOneHundredFailsTheTask() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID id = fixture.engine().submit("bad_progress", "b");

            TaskInfo failed = fixture.awaitStatus(id, TaskStatus.FAILED);

            assertThat(failed.error())
                    .isEqualTo("java.lang.IllegalArgumentException: progress must be between 0 and 100, got 101");
            assertThat(failed.progress()).isZero();
        }
    }
}
