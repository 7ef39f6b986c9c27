package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.gobstopper.tasks.TaskStats;
import io.gobstopper.tasks.TaskStatus;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A category's workers can be resized while it runs: 0 pauses it, more workers run more at once. */
public interface WorkerResizeContract extends EngineContract {

    @Test
    default void zeroWorkersPauseACategoryAndOneResumesIt() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            TaskEngine engine = fixture.engine();
            UUID running = fixture.submitIn("pausable", "block", "running");
            fixture.tasks().awaitStarted("running");

            assertThat(engine.resizeWorkers("pausable", 0)).isZero();
            UUID first = fixture.submitIn("pausable", "record", "first");
            UUID second = fixture.submitIn("pausable", "record", "second");
            fixture.tasks().release("running");
            fixture.awaitStatus(running, TaskStatus.SUCCESS); // its worker finishes it, then leaves

            EngineFixture.await().until(() -> engine.queues().get("pausable").running() == 0);
            // a shared store's queue figures are read every poll interval: they settle within one
            EngineFixture.await()
                    .untilAsserted(() -> assertThat(engine.queues().get("pausable"))
                            .extracting(
                                    TaskStats.QueueStats::queued,
                                    TaskStats.QueueStats::running,
                                    TaskStats.QueueStats::workers)
                            .containsExactly(2, 0, 0));
            assertThat(engine.queues().get("pausable").oldestWait()).isPositive();
            assertThat(engine.get(first).orElseThrow().status()).isEqualTo(TaskStatus.PENDING);
            assertThat(engine.get(second).orElseThrow().status()).isEqualTo(TaskStatus.PENDING);
            assertThat(fixture.tasks().order()).isEmpty();

            assertThat(engine.resizeWorkers("pausable", 1)).isEqualTo(1);

            fixture.awaitStatus(first, TaskStatus.SUCCESS);
            fixture.awaitStatus(second, TaskStatus.SUCCESS);
            assertThat(fixture.tasks().order()).containsExactly("first", "second");
            assertThat(engine.queues().get("pausable").workers()).isEqualTo(1);
        }
    }

    @Test
    default void moreWorkersRunMoreTasksAtOnce() {
        try (EngineFixture fixture = EngineFixture.start(storage(), EngineFixture.SETTINGS.withWorkers(1))) {
            TaskEngine engine = fixture.engine();
            fixture.submitIn("wide", "block", "one");
            fixture.tasks().awaitStarted("one");
            fixture.submitIn("wide", "block", "two");
            fixture.submitIn("wide", "block", "three");
            // a shared store's queue figures are read every poll interval: they settle within one
            EngineFixture.await()
                    .untilAsserted(() ->
                            assertThat(engine.queues().get("wide").queued()).isEqualTo(2));

            engine.resizeWorkers("wide", 3);

            fixture.tasks().awaitStarted("two");
            fixture.tasks().awaitStarted("three");
            EngineFixture.await()
                    .untilAsserted(
                            () -> assertThat(engine.queues().get("wide")).isEqualTo(new TaskStats.QueueStats(0, 3, 3)));
        }
    }

    @Test
    default void sizesOutsideZeroToTwoHundredFiftySixAreRefused() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> fixture.engine().resizeWorkers("default", -1))
                    .withMessage("workers must be between 0 and 256, got -1");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> fixture.engine().resizeWorkers("default", 257))
                    .withMessage("workers must be between 0 and 256, got 257");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> fixture.engine().resizeWorkers("bad category", 1))
                    .withMessageContaining("category 'bad category' is invalid");
            assertThat(fixture.engine().resizeWorkers("default", 256)).isEqualTo(256);
            assertThat(fixture.engine().queues().get("default").workers()).isEqualTo(256);
        }
    }
}
