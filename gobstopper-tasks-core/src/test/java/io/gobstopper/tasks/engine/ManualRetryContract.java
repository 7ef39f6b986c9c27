package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.gobstopper.tasks.BulkRetryResult;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskNotFoundException;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStateException;
import io.gobstopper.tasks.TaskStatus;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A FAILED or CANCELLED task can be run again by hand, with its run state reset. */
public interface ManualRetryContract extends EngineContract {

    @Test
    default void retryingAFailedTaskResetsItAndRunsItAgain() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID id = fixture.engine()
                    .submit(TaskRequest.builder("flaky")
                            .args("k", 2)
                            .maxRetries(1)
                            .build());
            TaskInfo failed = fixture.awaitStatus(id, TaskStatus.FAILED);
            assertThat(failed.retryCount()).isEqualTo(1);
            assertThat(failed.progress()).isEqualTo(30);
            assertThat(failed.error()).isNotNull();

            TaskInfo retried = fixture.engine().retry(id);

            assertThat(retried.status()).isEqualTo(TaskStatus.PENDING);
            assertThat(retried.retryCount()).isZero();
            assertThat(retried.error()).isNull();
            assertThat(retried.progress()).isZero();
            assertThat(retried.progressMessage()).isNull();
            assertThat(retried.startedAt()).isNull();
            assertThat(retried.completedAt()).isNull();
            assertThat(retried.createdAt()).isEqualTo(failed.createdAt());
            TaskInfo done = fixture.awaitStatus(id, TaskStatus.SUCCESS);
            assertThat(done.retryCount()).isZero();
            assertThat(done.result()).isEqualTo("\"ok after 3\"");
            assertThat(fixture.tasks().runs("k")).isEqualTo(3);
        }
    }

    @Test
    default void retryingACancelledTaskRunsIt() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            fixture.engine().resizeWorkers("paused", 0);
            UUID id = fixture.submitIn("paused", "record", "second-chance");
            fixture.engine().cancel(id);
            fixture.engine().resizeWorkers("paused", 1);

            assertThat(fixture.engine().retry(id).status()).isEqualTo(TaskStatus.PENDING);

            fixture.awaitStatus(id, TaskStatus.SUCCESS);
            assertThat(fixture.tasks().runs("second-chance")).isEqualTo(1);
        }
    }

    @Test
    default void aSuccessfulTaskCannotBeRetried() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID id = fixture.engine().submit("record", "done");
            fixture.awaitStatus(id, TaskStatus.SUCCESS);

            assertThatExceptionOfType(TaskStateException.class)
                    .isThrownBy(() -> fixture.engine().retry(id))
                    .withMessageContaining("SUCCESS")
                    .withMessageContaining("only FAILED or CANCELLED")
                    .satisfies(ex -> assertThat(ex.status()).isEqualTo(TaskStatus.SUCCESS));
            assertThat(fixture.tasks().runs("done")).isEqualTo(1);
        }
    }

    @Test
    default void aPendingTaskCannotBeRetried() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            fixture.engine().resizeWorkers("paused", 0);
            UUID id = fixture.submitIn("paused", "record", "waiting");

            assertThatExceptionOfType(TaskStateException.class)
                    .isThrownBy(() -> fixture.engine().retry(id))
                    .withMessageContaining("PENDING")
                    .satisfies(ex -> assertThat(ex.status()).isEqualTo(TaskStatus.PENDING));
        }
    }

    @Test
    default void retryingAnUnknownIdSaysSo() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            assertThatExceptionOfType(TaskNotFoundException.class)
                    .isThrownBy(() -> fixture.engine().retry(UUID.randomUUID()));
        }
    }

    @Test
    default void retryFailedRetriesOnlyTheGivenCategory() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID a1 = fixture.submitIn("cat-a", "flaky", "a1", 1);
            UUID a2 = fixture.submitIn("cat-a", "flaky", "a2", 1);
            UUID b1 = fixture.submitIn("cat-b", "flaky", "b1", 1);
            UUID ok = fixture.submitIn("cat-a", "record", "fine");
            for (UUID id : new UUID[] {a1, a2, b1}) {
                fixture.awaitStatus(id, TaskStatus.FAILED);
            }
            fixture.awaitStatus(ok, TaskStatus.SUCCESS);

            BulkRetryResult result = fixture.engine().retryFailed("cat-a");

            assertThat(result).isEqualTo(new BulkRetryResult(2, 2));
            fixture.awaitStatus(a1, TaskStatus.SUCCESS);
            fixture.awaitStatus(a2, TaskStatus.SUCCESS);
            assertThat(fixture.engine().get(b1).orElseThrow().status()).isEqualTo(TaskStatus.FAILED);
            assertThat(fixture.tasks().runs("b1")).isEqualTo(1);
            assertThat(fixture.tasks().runs("fine")).isEqualTo(1);

            assertThat(fixture.engine().retryFailed(null)).isEqualTo(new BulkRetryResult(1, 1));
            fixture.awaitStatus(b1, TaskStatus.SUCCESS);
            assertThat(fixture.engine().retryFailed(null)).isEqualTo(new BulkRetryResult(0, 0));
        }
    }
}
