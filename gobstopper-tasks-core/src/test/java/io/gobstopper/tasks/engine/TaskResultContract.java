package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskStatus;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a run returns or throws decides how the task ends; nothing a task does harms its worker. */
public interface TaskResultContract extends EngineContract {

    @Test
    default void aReturnedFutureIsAwaitedAndItsValueStored() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID id = fixture.engine().submit("async_value", "later");

            TaskInfo done = fixture.awaitStatus(id, TaskStatus.SUCCESS);

            assertThat(done.result()).isEqualTo("\"LATER\"");
        }
    }

    @Test
    default void aFutureCompletedExceptionallyIsAFailure() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID id = fixture.engine().submit("async_failure", "went wrong");

            TaskInfo failed = fixture.awaitStatus(id, TaskStatus.FAILED);

            assertThat(failed.error()).isEqualTo("java.lang.IllegalStateException: went wrong");
            assertThat(failed.result()).isNull();
        }
    }

    @Test
    default void aResultThatCannotBeWrittenAsJsonFailsTheTaskSayingWhy() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID id = fixture.engine().submit("unwritable_result", "u");

            TaskInfo failed = fixture.awaitStatus(id, TaskStatus.FAILED);

            assertThat(failed.error())
                    .contains(TestTasks.SelfReference.class.getName())
                    .contains("cannot be written as JSON");
            assertThat(failed.result()).isNull();
        }
    }

    @Test
    default void aStackOverflowFailsOnlyItsTaskAndTheSameWorkerRunsTheNext() {
        try (EngineFixture fixture = EngineFixture.start(storage(), EngineFixture.SETTINGS.withWorkers(1))) {
            UUID overflow = fixture.engine().submit("overflow", "deep");
            UUID next = fixture.engine().submit("whoami", "next");

            TaskInfo failed = fixture.awaitStatus(overflow, TaskStatus.FAILED);
            TaskInfo done = fixture.awaitStatus(next, TaskStatus.SUCCESS);

            assertThat(failed.error()).startsWith("java.lang.StackOverflowError");
            assertThat(fixture.tasks().thread("next")).isEqualTo(fixture.tasks().thread("deep"));
            assertThat(done.result()).isEqualTo("\"" + fixture.tasks().thread("deep") + "\"");
            assertThat(fixture.engine().health().healthy()).isTrue();
        }
    }
}
