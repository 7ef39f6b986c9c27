package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gobstopper.tasks.InvalidTaskArgumentsException;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Delayed starts: a task submitted with a delay or a runAt waits PENDING until then, starts promptly at its time,
 * and keeps its time across a graceful restart and a kill -9.
 */
public interface DelayedStartContract extends EngineContract {

    /** How late after its runAt a delayed task may start on an idle engine. */
    static final Duration PROMPT = Duration.ofMillis(100);

    @Test
    default void aDelayedTaskWaitsPendingUntilCreatedAtPlusItsDelayThenStartsPromptly() {
        DelayedTasksBean bean = new DelayedTasksBean();
        try (EngineFixture fixture = EngineFixture.start(storage(), EngineFixture.SETTINGS, bean)) {
            UUID id = fixture.engine()
                    .submit(TaskRequest.builder("delayed_stamp")
                            .args("later")
                            .delay(Duration.ofMillis(800))
                            .build());

            TaskInfo waiting = fixture.engine().get(id).orElseThrow();
            assertThat(waiting.status()).isEqualTo(TaskStatus.PENDING);
            assertThat(waiting.runAt()).isEqualTo(waiting.createdAt().plusMillis(800));
            assertThat(waiting.startedAt()).isNull();

            TaskInfo done = fixture.awaitStatus(id, TaskStatus.SUCCESS);
            assertStartedPromptlyAt(bean, id, waiting.runAt());
            assertThat(done.runAt()).as("runAt is kept once it ran").isEqualTo(waiting.runAt());
            assertThat(done.startedAt()).isAfterOrEqualTo(waiting.runAt());
        }
    }

    @Test
    default void runAtWorksLikeADelayAndATimeInThePastRunsAtOnce() {
        DelayedTasksBean bean = new DelayedTasksBean();
        try (EngineFixture fixture = EngineFixture.start(storage(), EngineFixture.SETTINGS, bean)) {
            Instant at = Instant.now().plusMillis(600).truncatedTo(ChronoUnit.MICROS);
            UUID later = fixture.engine()
                    .submit(TaskRequest.builder("delayed_stamp")
                            .args("at")
                            .runAt(at)
                            .build());
            Instant pastSubmitted = Instant.now();
            UUID past = fixture.engine()
                    .submit(TaskRequest.builder("delayed_stamp")
                            .args("past")
                            .runAt(Instant.now().minus(Duration.ofHours(1)))
                            .build());

            TaskInfo waiting = fixture.engine().get(later).orElseThrow();
            assertThat(waiting.status()).isEqualTo(TaskStatus.PENDING);
            assertThat(waiting.runAt()).isEqualTo(at);

            fixture.awaitStatus(past, TaskStatus.SUCCESS);
            assertThat(bean.starts(past))
                    .singleElement()
                    .satisfies(start -> assertThat(Duration.between(pastSubmitted, start.at()))
                            .isLessThan(Duration.ofMillis(500)));
            assertThat(bean.starts(later))
                    .as("the task due later has not started with the one due in the past")
                    .isEmpty();

            fixture.awaitStatus(later, TaskStatus.SUCCESS);
            assertStartedPromptlyAt(bean, later, at);
        }
    }

    @Test
    default void aDelayAndARunAtTogetherOrANegativeDelayAreRefusedAndNothingIsStored() {
        DelayedTasksBean bean = new DelayedTasksBean();
        try (EngineFixture fixture = EngineFixture.start(storage(), EngineFixture.SETTINGS, bean)) {
            TaskRequest both = TaskRequest.builder("delayed_stamp")
                    .args("both")
                    .delay(Duration.ofSeconds(1))
                    .runAt(Instant.now().plusSeconds(1))
                    .build();
            assertThatThrownBy(() -> fixture.engine().submit(both))
                    .isInstanceOf(InvalidTaskArgumentsException.class)
                    .hasMessageContaining("delayed_stamp")
                    .hasMessageContaining("not both");

            TaskRequest negative = TaskRequest.builder("delayed_stamp")
                    .args("negative")
                    .delay(Duration.ofMillis(-1))
                    .build();
            assertThatThrownBy(() -> fixture.engine().submit(negative))
                    .isInstanceOf(InvalidTaskArgumentsException.class)
                    .hasMessageContaining("delay must not be negative");

            assertThat(fixture.engine().list(TaskFilter.all()).total()).isZero();
        }
    }

    @Test
    default void aDelayedTaskSurvivesAGracefulRestartAndRunsAfterItsTimeNotBefore() {
        DelayedTasksBean bean = new DelayedTasksBean();
        try (EngineFixture fixture = EngineFixture.start(storage(), EngineFixture.SETTINGS, bean)) {
            UUID id = fixture.engine()
                    .submit(TaskRequest.builder("delayed_stamp")
                            .args("restart")
                            .delay(Duration.ofMillis(1500))
                            .build());
            Instant runAt = fixture.engine().get(id).orElseThrow().runAt();

            fixture.restart(EngineFixture.SETTINGS);

            TaskInfo afterRestart = fixture.engine().get(id).orElseThrow();
            assertThat(Instant.now())
                    .as("the restart was quicker than the delay")
                    .isBefore(runAt);
            assertThat(afterRestart.status()).isEqualTo(TaskStatus.PENDING);
            assertThat(afterRestart.runAt()).isEqualTo(runAt);
            assertThat(bean.starts(id)).isEmpty();

            TaskInfo done = fixture.awaitStatus(id, TaskStatus.SUCCESS);
            assertStartedPromptlyAt(bean, id, runAt);
            assertThat(done.retryCount()).isZero();
        }
    }

    @Test
    default void aDelayedTaskCancelledBeforeItsTimeNeverRuns() {
        DelayedTasksBean bean = new DelayedTasksBean();
        try (EngineFixture fixture = EngineFixture.start(storage(), EngineFixture.SETTINGS, bean)) {
            UUID cancelled = fixture.engine()
                    .submit(TaskRequest.builder("delayed_stamp")
                            .args("cancelled")
                            .delay(Duration.ofMillis(500))
                            .build());
            UUID control = fixture.engine()
                    .submit(TaskRequest.builder("delayed_stamp")
                            .args("control")
                            .delay(Duration.ofMillis(500))
                            .build());
            Instant runAt = fixture.engine().get(cancelled).orElseThrow().runAt();

            TaskInfo answer = fixture.engine().cancel(cancelled);
            assertThat(answer.status()).isEqualTo(TaskStatus.CANCELLED);

            // the other task, due at the same time, runs: the moment has passed and the timer has fired
            fixture.awaitStatus(control, TaskStatus.SUCCESS);
            EngineFixture.await()
                    .during(Duration.ofMillis(300))
                    .until(() -> bean.starts(cancelled).isEmpty()
                            && fixture.engine().get(cancelled).orElseThrow().status() == TaskStatus.CANCELLED);
            assertThat(Instant.now()).isAfter(runAt);
            assertThat(fixture.engine().get(cancelled).orElseThrow().startedAt())
                    .isNull();
        }
    }

    /** The task ran once, starting no earlier than {@code runAt} and at most {@link #PROMPT} after it. */
    private static void assertStartedPromptlyAt(DelayedTasksBean bean, UUID id, Instant runAt) {
        assertThat(bean.starts(id)).singleElement().satisfies(start -> {
            assertThat(start.at()).as("started no earlier than its runAt").isAfterOrEqualTo(runAt);
            assertThat(Duration.between(runAt, start.at()))
                    .as("lateness after its runAt")
                    .isLessThan(PROMPT);
        });
    }
}
