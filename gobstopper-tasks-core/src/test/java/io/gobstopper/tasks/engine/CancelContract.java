package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskNotFoundException;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStateException;
import io.gobstopper.tasks.TaskStatus;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Cancel stops PENDING and RETRY tasks for good, and refuses tasks that run or have ended. */
public interface CancelContract extends EngineContract {

    @Test
    default void aCancelledTaskAlreadyInTheWorkersQueueNeverRuns() {
        try (EngineFixture fixture = EngineFixture.start(storage(), EngineFixture.SETTINGS.withWorkers(1))) {
            TestTasks tasks = fixture.tasks();
            fixture.engine().submit("block", "gate");
            tasks.awaitStarted("gate");
            UUID cancelled = fixture.engine().submit("record", "cancelled");
            // a shared store's queue figures are read every poll interval: they settle within one
            EngineFixture.await()
                    .untilAsserted(() -> assertThat(
                                    fixture.engine().queues().get("default").queued())
                            .isEqualTo(1));

            TaskInfo answer = fixture.engine().cancel(cancelled);

            assertThat(answer.status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(answer.completedAt()).isNotNull();
            tasks.release("gate");
            UUID after = fixture.engine().submit("record", "after");
            fixture.awaitStatus(after, TaskStatus.SUCCESS);

            assertThat(tasks.runs("cancelled")).isZero();
            assertThat(tasks.order()).containsExactly("after");
            assertThat(fixture.engine().get(cancelled).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(fixture.engine()
                            .list(TaskFilter.byStatus(TaskStatus.CANCELLED))
                            .tasks())
                    .singleElement()
                    .satisfies(task -> assertThat(task.id()).isEqualTo(cancelled));
        }
    }

    @Test
    default void aCancelledTaskOfAPausedCategoryNeverRunsWhenTheCategoryResumes() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            fixture.engine().resizeWorkers("paused", 0);
            UUID cancelled = fixture.submitIn("paused", "record", "cancelled");
            fixture.engine().cancel(cancelled);

            fixture.engine().resizeWorkers("paused", 1);
            UUID after = fixture.submitIn("paused", "record", "after");
            fixture.awaitStatus(after, TaskStatus.SUCCESS);

            assertThat(fixture.tasks().runs("cancelled")).isZero();
            assertThat(fixture.engine().get(cancelled).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
        }
    }

    @Test
    default void aCancelledTaskStaysCancelledAfterARestart() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            fixture.engine().resizeWorkers("paused", 0);
            UUID cancelled = fixture.submitIn("paused", "record", "cancelled");
            fixture.engine().cancel(cancelled);

            fixture.restart(EngineFixture.SETTINGS);
            UUID after = fixture.submitIn("paused", "record", "after");
            fixture.awaitStatus(after, TaskStatus.SUCCESS);

            assertThat(fixture.tasks().runs("cancelled")).isZero();
            assertThat(fixture.engine().get(cancelled).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
        }
    }

    @Test
    default void aTaskWaitingInRetryCanBeCancelled() {
        TaskEngineSettings settings = EngineFixture.SETTINGS.withCategory(
                "patient", new TaskEngineSettings.CategorySettings(1, EngineFixture.HOUR_RETRY));
        try (EngineFixture fixture = EngineFixture.start(storage(), settings)) {
            UUID id = fixture.engine()
                    .submit(TaskRequest.builder("flaky")
                            .args("k", 5)
                            .category("patient")
                            .maxRetries(3)
                            .build());
            fixture.awaitStatus(id, TaskStatus.RETRY);

            TaskInfo cancelled = fixture.engine().cancel(id);

            assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(cancelled.runAt()).isNull();
            assertThat(fixture.engine()
                            .list(TaskFilter.byStatus(TaskStatus.CANCELLED))
                            .total())
                    .isEqualTo(1);
            assertThat(fixture.engine()
                            .list(TaskFilter.byStatus(TaskStatus.RETRY))
                            .total())
                    .isZero();
        }
    }

    @Test
    default void aRunningTaskIsInterruptedAndEndsCancelled() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID id = fixture.engine().submit("block", "running");
            fixture.tasks().awaitStarted("running");

            TaskInfo answer = fixture.engine().cancel(id);

            assertThat(answer.status()).isEqualTo(TaskStatus.STARTED);
            assertThat(answer.cancelRequested()).isTrue();
            TaskInfo ended = fixture.awaitStatus(id, TaskStatus.CANCELLED);
            assertThat(ended.error()).startsWith("Cancelled while running");
            assertThat(ended.cancelRequested()).isFalse();
        }
    }

    @Test
    default void anEndedTaskCannotBeCancelled() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID id = fixture.engine().submit("record", "done");
            fixture.awaitStatus(id, TaskStatus.SUCCESS);

            assertThatExceptionOfType(TaskStateException.class)
                    .isThrownBy(() -> fixture.engine().cancel(id))
                    .withMessageContaining("SUCCESS")
                    .satisfies(ex -> assertThat(ex.status()).isEqualTo(TaskStatus.SUCCESS));

            fixture.engine().list(TaskFilter.all()); // once the end is certainly stored, the answer is the same
            assertThatExceptionOfType(TaskStateException.class)
                    .isThrownBy(() -> fixture.engine().cancel(id))
                    .satisfies(ex -> assertThat(ex.status()).isEqualTo(TaskStatus.SUCCESS));
            assertThat(fixture.engine().get(id).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESS);
        }
    }

    @Test
    default void aCancelledTaskCannotBeCancelledAgain() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            fixture.engine().resizeWorkers("paused", 0);
            UUID id = fixture.submitIn("paused", "record", "twice");
            fixture.engine().cancel(id);

            assertThatExceptionOfType(TaskStateException.class)
                    .isThrownBy(() -> fixture.engine().cancel(id))
                    .satisfies(ex -> assertThat(ex.status()).isEqualTo(TaskStatus.CANCELLED));
        }
    }

    @Test
    default void cancellingAnUnknownIdSaysSo() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID unknown = UUID.randomUUID();

            assertThatExceptionOfType(TaskNotFoundException.class)
                    .isThrownBy(() -> fixture.engine().cancel(unknown))
                    .withMessage("No task with id " + unknown);
        }
    }
}
