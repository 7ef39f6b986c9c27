package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Failed runs are retried with backoff until maxRetries is used up; the wait does not hold a worker. */
public interface RetryBackoffContract extends EngineContract {

    private static TaskRequest flaky(String key, int failures, int maxRetries) {
        return TaskRequest.builder("flaky")
                .args(key, failures)
                .maxRetries(maxRetries)
                .build();
    }

    @Test
    default void aTaskThatFailsTwiceWithThreeRetriesEndsSuccessAfterTwoRetries() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID id = fixture.engine().submit(flaky("twice", 2, 3));

            TaskInfo task = fixture.awaitStatus(id, TaskStatus.SUCCESS);

            assertThat(task.retryCount()).isEqualTo(2);
            assertThat(task.maxRetries()).isEqualTo(3);
            assertThat(task.result()).isEqualTo("\"ok after 3\"");
            assertThat(task.error()).isNull();
            assertThat(fixture.tasks().runs("twice")).isEqualTo(3);
        }
    }

    @Test
    default void aTaskThatFailsMoreOftenThanItMayRetryEndsFailedWithTheError() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID id = fixture.engine().submit(flaky("often", 2, 1));

            TaskInfo task = fixture.awaitStatus(id, TaskStatus.FAILED);

            assertThat(task.retryCount()).isEqualTo(1);
            assertThat(task.error()).isEqualTo("java.lang.IllegalStateException: flaky failure 2 of often");
            assertThat(task.completedAt()).isNotNull();
            assertThat(fixture.tasks().runs("often")).isEqualTo(2);
            assertThat(fixture.engine().recentFailures(10))
                    .extracting(TaskInfo::id)
                    .containsExactly(id);
        }
    }

    @Test
    default void withoutRetriesTheFirstFailureIsFinal() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID id = fixture.engine().submit(flaky("once", 1, 0));

            TaskInfo task = fixture.awaitStatus(id, TaskStatus.FAILED);

            assertThat(task.retryCount()).isZero();
            assertThat(fixture.tasks().runs("once")).isEqualTo(1);
        }
    }

    @Test
    default void anExceptionListedInNoRetryForFailsAtOnceDespiteRetriesLeft() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID id = fixture.engine().submit("fail_fast", "x");

            TaskInfo task = fixture.awaitStatus(id, TaskStatus.FAILED);

            assertThat(task.maxRetries()).isEqualTo(5);
            assertThat(task.retryCount()).isZero();
            assertThat(task.error()).isEqualTo("java.lang.IllegalArgumentException: bad input x");
            assertThat(fixture.tasks().runs("x")).isEqualTo(1);
        }
    }

    @Test
    default void aTaskWaitingOutItsBackoffDoesNotHoldTheCategorysOnlyWorker() {
        TaskEngineSettings settings = EngineFixture.SETTINGS.withCategory(
                "patient", new TaskEngineSettings.CategorySettings(1, EngineFixture.HOUR_RETRY));
        try (EngineFixture fixture = EngineFixture.start(storage(), settings)) {
            Instant before = Instant.now();
            UUID failing = fixture.engine()
                    .submit(TaskRequest.builder("flaky")
                            .args("later", 1)
                            .category("patient")
                            .maxRetries(1)
                            .build());
            TaskInfo waiting = fixture.awaitStatus(failing, TaskStatus.RETRY);

            UUID next = fixture.submitIn("patient", "record", "next");
            fixture.awaitStatus(next, TaskStatus.SUCCESS);

            TaskInfo stillWaiting = fixture.engine().get(failing).orElseThrow();
            assertThat(stillWaiting.status()).isEqualTo(TaskStatus.RETRY);
            assertThat(stillWaiting.retryCount()).isEqualTo(1);
            assertThat(stillWaiting.error()).contains("flaky failure 1 of later");
            assertThat(waiting.runAt()).isCloseTo(before.plus(Duration.ofHours(1)), within(1, ChronoUnit.MINUTES));
            assertThat(fixture.tasks().runs("later")).isEqualTo(1);
        }
    }
}
