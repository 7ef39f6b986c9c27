package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Unfinished tasks outlive the engine: the next start queues them again, each when it is due. */
public interface RestartRecoveryContract extends EngineContract {

    @Test
    default void pendingTasksQueuedAtCloseRunAtTheNextStartInPriorityOrder() {
        TaskEngineSettings paused =
                EngineFixture.SETTINGS.withCategory("later", new TaskEngineSettings.CategorySettings(0, null));
        try (EngineFixture fixture = EngineFixture.start(storage(), paused)) {
            List<UUID> ids = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            expected.add("urgent");
            for (int i = 0; i < 30; i++) {
                ids.add(fixture.submitIn("later", "record", "waiting-" + i));
                expected.add("waiting-" + i);
            }
            ids.add(fixture.engine()
                    .submit(TaskRequest.builder("record")
                            .args("urgent")
                            .category("later")
                            .priority(TaskPriority.CRITICAL)
                            .build()));
            // a shared store's queue figures are read every poll interval: they settle within one
            EngineFixture.await()
                    .untilAsserted(() -> assertThat(
                                    fixture.engine().queues().get("later").queued())
                            .isEqualTo(31));

            fixture.restart(
                    EngineFixture.SETTINGS.withCategory("later", new TaskEngineSettings.CategorySettings(1, null)));

            ids.forEach(id -> fixture.awaitStatus(id, TaskStatus.SUCCESS));
            assertThat(fixture.tasks().order()).containsExactlyElementsOf(expected);
        }
    }

    @Test
    default void aRetryDueInTheFutureWaitsForItsTimeAfterARestart() {
        TaskEngineSettings patient = EngineFixture.SETTINGS.withCategory(
                "patient", new TaskEngineSettings.CategorySettings(1, EngineFixture.HOUR_RETRY));
        try (EngineFixture fixture = EngineFixture.start(storage(), patient)) {
            UUID retrying = fixture.engine()
                    .submit(TaskRequest.builder("flaky")
                            .args("k", 1)
                            .category("patient")
                            .maxRetries(2)
                            .build());
            TaskInfo waiting = fixture.awaitStatus(retrying, TaskStatus.RETRY);

            fixture.restart(patient);
            UUID other = fixture.submitIn("patient", "record", "other");
            fixture.awaitStatus(other, TaskStatus.SUCCESS);

            TaskInfo stillWaiting = fixture.engine().get(retrying).orElseThrow();
            assertThat(stillWaiting.status()).isEqualTo(TaskStatus.RETRY);
            assertThat(stillWaiting.runAt()).isEqualTo(waiting.runAt());
            assertThat(fixture.tasks().runs("k")).isEqualTo(1);

            // two hours later the retry is overdue, and the next start runs it at once
            fixture.restart(patient, InstantSource.offset(InstantSource.system(), Duration.ofHours(2)));

            TaskInfo done = fixture.awaitStatus(retrying, TaskStatus.SUCCESS);
            assertThat(done.retryCount()).isEqualTo(1);
            assertThat(fixture.tasks().runs("k")).isEqualTo(2);
        }
    }
}
