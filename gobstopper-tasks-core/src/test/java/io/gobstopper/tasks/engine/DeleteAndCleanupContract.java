package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskNotFoundException;
import io.gobstopper.tasks.TaskStateException;
import io.gobstopper.tasks.TaskStatus;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Ended tasks can be deleted one by one, by age, or by the periodic retention cleanup; unfinished ones stay. */
public interface DeleteAndCleanupContract extends EngineContract {

    @Test
    default void anEndedTaskCanBeDeleted() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID id = fixture.engine().submit("record", "gone");
            fixture.awaitStatus(id, TaskStatus.SUCCESS);

            fixture.engine().delete(id);

            assertThat(fixture.engine().get(id)).isEmpty();
            assertThat(fixture.engine().list(TaskFilter.all()).total()).isZero();
            assertThatExceptionOfType(TaskNotFoundException.class)
                    .isThrownBy(() -> fixture.engine().delete(id));
        }
    }

    @Test
    default void failedAndCancelledTasksCanBeDeleted() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID failed = fixture.engine().submit("flaky", "f", 1);
            fixture.awaitStatus(failed, TaskStatus.FAILED);
            fixture.engine().resizeWorkers("paused", 0);
            UUID cancelled = fixture.submitIn("paused", "record", "c");
            fixture.engine().cancel(cancelled);

            fixture.engine().delete(failed);
            fixture.engine().delete(cancelled);

            assertThat(fixture.engine().get(failed)).isEmpty();
            assertThat(fixture.engine().get(cancelled)).isEmpty();
        }
    }

    @Test
    default void anUnfinishedTaskCannotBeDeleted() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            fixture.engine().resizeWorkers("paused", 0);
            UUID pending = fixture.submitIn("paused", "record", "waiting");
            UUID running = fixture.engine().submit("block", "running");
            fixture.tasks().awaitStarted("running");

            assertThatExceptionOfType(TaskStateException.class)
                    .isThrownBy(() -> fixture.engine().delete(pending))
                    .withMessageContaining("PENDING")
                    .satisfies(ex -> assertThat(ex.status()).isEqualTo(TaskStatus.PENDING));
            assertThatExceptionOfType(TaskStateException.class)
                    .isThrownBy(() -> fixture.engine().delete(running))
                    .satisfies(ex -> assertThat(ex.status()).isEqualTo(TaskStatus.STARTED));
            assertThat(fixture.engine().get(pending)).isPresent();
            assertThat(fixture.engine().list(TaskFilter.all()).total()).isEqualTo(2);
        }
    }

    @Test
    default void cleanupDeletesOnlyEndedTasksOlderThanTheCutOff() {
        MutableClock clock = new MutableClock();
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            TaskEngine engine = fixture.restart(EngineFixture.SETTINGS, clock);
            engine.resizeWorkers("paused", 0);
            UUID oldPending = fixture.submitIn("paused", "record", "old-pending");
            UUID oldSuccess = engine.submit("record", "old-success");
            UUID oldFailed = engine.submit("flaky", "old-failed", 1);
            fixture.awaitStatus(oldSuccess, TaskStatus.SUCCESS);
            fixture.awaitStatus(oldFailed, TaskStatus.FAILED);

            clock.advance(Duration.ofHours(2));
            UUID recent = engine.submit("record", "recent");
            fixture.awaitStatus(recent, TaskStatus.SUCCESS);

            int deleted = engine.cleanup(Duration.ofHours(1));

            assertThat(deleted).isEqualTo(2);
            assertThat(engine.get(oldSuccess)).isEmpty();
            assertThat(engine.get(oldFailed)).isEmpty();
            assertThat(engine.get(recent)).isPresent();
            assertThat(engine.get(oldPending).map(TaskInfo::status)).contains(TaskStatus.PENDING);
            assertThat(engine.cleanup(Duration.ofHours(1))).isZero();
            assertThat(engine.cleanup(Duration.ZERO)).isEqualTo(1);
            assertThat(engine.list(TaskFilter.all()).tasks())
                    .extracting(TaskInfo::id)
                    .containsExactly(oldPending);
        }
    }

    @Test
    default void cleanupRefusesANegativeAge() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> fixture.engine().cleanup(Duration.ofSeconds(-1)))
                    .withMessageContaining("olderThan must be zero or more");
        }
    }

    @Test
    default void retentionDeletesEndedTasksWithoutBeingAsked() {
        TaskEngineSettings settings =
                EngineFixture.SETTINGS.withRetention(Duration.ofMillis(1), Duration.ofMillis(100));
        try (EngineFixture fixture = EngineFixture.start(storage(), settings)) {
            fixture.engine().resizeWorkers("paused", 0);
            UUID pending = fixture.submitIn("paused", "record", "kept");
            UUID ended = fixture.engine().submit("record", "expires");

            EngineFixture.await()
                    .until(() -> fixture.tasks().runs("expires") == 1
                            && fixture.engine().get(ended).isEmpty());

            assertThat(fixture.engine().get(pending).map(TaskInfo::status)).contains(TaskStatus.PENDING);
            assertThat(fixture.engine().list(TaskFilter.all()).total()).isEqualTo(1);
        }
    }
}
