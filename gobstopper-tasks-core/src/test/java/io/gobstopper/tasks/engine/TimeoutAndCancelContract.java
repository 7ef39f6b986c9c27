package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

public interface TimeoutAndCancelContract extends EngineContract {

    @Test
    default void aRunLongerThanItsTimeoutIsInterruptedAndFailsSayingSo() {
        FlowTasks flow = new FlowTasks();
        try (EngineFixture fixture = EngineFixture.start(storage(), EngineFixture.SETTINGS, flow)) {
            UUID id = fixture.engine().submit("sleepy", "a");

            TaskInfo failed = fixture.awaitStatus(id, TaskStatus.FAILED);

            assertThat(Duration.between(failed.startedAt(), failed.completedAt()))
                    .isBetween(Duration.ofMillis(900), Duration.ofSeconds(3));
            assertThat(failed.error()).contains("TaskTimeoutException").contains("timed out after 1s");
            assertThat(failed.timeout()).isEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    default void aTimeoutCountsAsAFailedAttemptAndIsRetried() {
        FlowTasks flow = new FlowTasks();
        try (EngineFixture fixture = EngineFixture.start(storage(), EngineFixture.SETTINGS, flow)) {
            UUID id = fixture.engine().submit("sleepy_retried", "b");

            TaskInfo failed = fixture.awaitStatus(id, TaskStatus.FAILED);

            assertThat(failed.retryCount()).isEqualTo(1);
            assertThat(failed.error()).contains("timed out after 0.3s");
        }
    }

    @Test
    default void aSubmitCanSetItsOwnTimeout() {
        FlowTasks flow = new FlowTasks();
        try (EngineFixture fixture = EngineFixture.start(storage(), EngineFixture.SETTINGS, flow)) {
            UUID id = fixture.engine()
                    .submit(TaskRequest.builder("block")
                            .args("held")
                            .timeout(Duration.ofMillis(200))
                            .build());

            TaskInfo failed = fixture.awaitStatus(id, TaskStatus.FAILED);

            assertThat(failed.error()).contains("timed out after 0.2s");
            assertThat(failed.timeout()).isEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    default void aRunningTaskThatChecksIsCancelledEndsCancelledWithinASecond() {
        FlowTasks flow = new FlowTasks();
        try (EngineFixture fixture = EngineFixture.start(storage(), EngineFixture.SETTINGS, flow)) {
            UUID id = fixture.engine().submit("cooperative", "c");
            EngineFixture.await().until(() -> flow.hasStarted("c"));

            Instant asked = Instant.now();
            TaskInfo answer = fixture.engine().cancel(id);
            TaskInfo cancelled = fixture.awaitStatus(id, TaskStatus.CANCELLED);

            assertThat(answer.status()).isEqualTo(TaskStatus.STARTED);
            assertThat(answer.cancelRequested()).isTrue();
            assertThat(Duration.between(asked, cancelled.completedAt())).isLessThan(Duration.ofSeconds(1));
            assertThat(cancelled.result()).isNull();
            assertThat(cancelled.error()).isEqualTo("Cancelled while running");
        }
    }

    @Test
    default void aTaskThatIgnoresTheRequestKeepsRunningAndSaysSoThenEndsCancelled() {
        FlowTasks flow = new FlowTasks();
        try (EngineFixture fixture = EngineFixture.start(storage(), EngineFixture.SETTINGS, flow)) {
            UUID id = fixture.engine().submit("stubborn", "d");
            EngineFixture.await().until(() -> flow.hasStarted("d"));

            TaskInfo answer = fixture.engine().cancel(id);
            TaskInfo meanwhile = fixture.engine().get(id).orElseThrow();

            assertThat(answer.status()).isEqualTo(TaskStatus.STARTED);
            assertThat(answer.cancelRequested()).isTrue();
            assertThat(meanwhile.status()).isEqualTo(TaskStatus.STARTED);
            assertThat(meanwhile.cancelRequested()).isTrue();

            flow.releaseStubborn();
            TaskInfo ended = fixture.awaitStatus(id, TaskStatus.CANCELLED);
            assertThat(ended.result()).as("its result is dropped").isNull();
        }
    }

    @Test
    default void anInterruptForOneRunNeverReachesTheWorkersNextTask() {
        FlowTasks flow = new FlowTasks();
        TaskEngineSettings oneWorker = EngineFixture.SETTINGS.withWorkers(1);
        try (EngineFixture fixture = EngineFixture.start(storage(), oneWorker, flow)) {
            for (int i = 0; i < 20; i++) {
                UUID cancelled = fixture.engine().submit("cooperative", "x" + i);
                UUID next = fixture.engine().submit("block", "n" + i);
                String key = "x" + i;
                EngineFixture.await().until(() -> flow.hasStarted(key));
                fixture.engine().cancel(cancelled);
                fixture.awaitStatus(cancelled, TaskStatus.CANCELLED);
                fixture.tasks().awaitStarted("n" + i);
                fixture.tasks().release("n" + i);
                assertThat(fixture.awaitStatus(next, TaskStatus.SUCCESS).error())
                        .isNull();
            }
        }
    }
}
