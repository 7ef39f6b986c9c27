package io.gobstopper.tasks.engine;

import static io.gobstopper.tasks.event.TaskEventType.CANCELLED;
import static io.gobstopper.tasks.event.TaskEventType.FAILED;
import static io.gobstopper.tasks.event.TaskEventType.PROGRESS;
import static io.gobstopper.tasks.event.TaskEventType.RETRY;
import static io.gobstopper.tasks.event.TaskEventType.STARTED;
import static io.gobstopper.tasks.event.TaskEventType.SUBMITTED;
import static io.gobstopper.tasks.event.TaskEventType.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.event.TaskEvent;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Listeners hear every life-cycle change of a task, in order, each with the task as it was just then. */
public interface TaskListenerContract extends EngineContract {

    private static List<TaskEvent> eventsOf(EngineFixture fixture, UUID id) {
        return fixture.events().stream()
                .filter(event -> event.task().id().equals(id))
                .toList();
    }

    @Test
    default void aSuccessfulRunIsSubmittedStartedProgressingAndSucceeded() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID id = fixture.engine().submit("progress", "p");
            fixture.tasks().awaitStarted("p");
            fixture.tasks().release("p");
            fixture.awaitStatus(id, TaskStatus.SUCCESS);
            EngineFixture.await().until(() -> eventsOf(fixture, id).size() == 4);

            List<TaskEvent> events = eventsOf(fixture, id);
            assertThat(events).extracting(TaskEvent::type).containsExactly(SUBMITTED, STARTED, PROGRESS, SUCCEEDED);
            assertThat(events).allSatisfy(event -> assertThat(event.at()).isNotNull());
            assertThat(events.get(0).task().status()).isEqualTo(TaskStatus.PENDING);
            assertThat(events.get(1).task().status()).isEqualTo(TaskStatus.STARTED);
            assertThat(events.get(1).task().startedAt()).isNotNull();
            assertThat(events.get(2).task().progress()).isEqualTo(40);
            assertThat(events.get(2).task().progressMessage()).isEqualTo("msg");
            assertThat(events.get(3).task().status()).isEqualTo(TaskStatus.SUCCESS);
            assertThat(events.get(3).task().progress()).isEqualTo(100);
            assertThat(events.get(3).task().result()).contains("\"done\":true");
        }
    }

    @Test
    default void aFailingRunIsRetriedThenFailed() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID id = fixture.engine()
                    .submit(TaskRequest.builder("flaky")
                            .args("f", 5)
                            .maxRetries(1)
                            .build());
            fixture.awaitStatus(id, TaskStatus.FAILED);
            EngineFixture.await().until(() -> eventsOf(fixture, id).size() == 7);

            List<TaskEvent> events = eventsOf(fixture, id);
            assertThat(events)
                    .extracting(TaskEvent::type)
                    .containsExactly(SUBMITTED, STARTED, PROGRESS, RETRY, STARTED, PROGRESS, FAILED);
            TaskEvent retry = events.get(3);
            assertThat(retry.task().status()).isEqualTo(TaskStatus.RETRY);
            assertThat(retry.task().retryCount()).isEqualTo(1);
            assertThat(retry.task().runAt()).isNotNull();
            assertThat(retry.task().error()).contains("flaky failure 1 of f");
            TaskEvent failed = events.get(6);
            assertThat(failed.task().status()).isEqualTo(TaskStatus.FAILED);
            assertThat(failed.task().error()).contains("flaky failure 2 of f");
            assertThat(failed.task().completedAt()).isNotNull();
        }
    }

    @Test
    default void aCancelledTaskIsSubmittedThenCancelled() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            fixture.engine().resizeWorkers("paused", 0);
            UUID id = fixture.submitIn("paused", "record", "never");
            fixture.engine().cancel(id);

            List<TaskEvent> events = eventsOf(fixture, id);
            assertThat(events).extracting(TaskEvent::type).containsExactly(SUBMITTED, CANCELLED);
            assertThat(events.get(1).task().status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(events.get(1).task().category()).isEqualTo("paused");
        }
    }

    @Test
    default void aManualRetryIsAnnouncedAsSubmittedAgain() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID id = fixture.engine().submit("flaky", "m", 1);
            // the worker announces FAILED just after the task is FAILED; wait for it so the retry comes after
            EngineFixture.await().until(() -> eventsOf(fixture, id).size() == 4);
            fixture.engine().retry(id);
            fixture.awaitStatus(id, TaskStatus.SUCCESS);
            EngineFixture.await().until(() -> eventsOf(fixture, id).size() == 8);

            assertThat(eventsOf(fixture, id))
                    .extracting(TaskEvent::type)
                    .containsExactly(SUBMITTED, STARTED, PROGRESS, FAILED, SUBMITTED, STARTED, PROGRESS, SUCCEEDED);
        }
    }
}
