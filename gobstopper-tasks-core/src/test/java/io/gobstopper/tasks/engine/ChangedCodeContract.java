package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.UnrunnableTasks;
import io.gobstopper.tasks.event.TaskEvent;
import io.gobstopper.tasks.event.TaskEventType;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Stored tasks meet code that changed after they were submitted (a deploy in between): a task whose name is no longer
 * registered waits, unrunnable, for an instance that knows it, without holding up the tasks behind it; a renamed task
 * runs the tasks stored under its former name (an alias); arguments that no longer fit the parameters fail the task at
 * once; and an operation ends the unrunnable tasks by hand.
 */
public interface ChangedCodeContract extends EngineContract {

    /** The category of these tests' tasks: paused (no workers) while the first version submits. */
    String CATEGORY = "changed";

    /** Settings under which tasks of {@link #CATEGORY} wait. */
    TaskEngineSettings PAUSED =
            EngineFixture.SETTINGS.withCategory(CATEGORY, new TaskEngineSettings.CategorySettings(0, null));

    /** The first version of a task, later renamed or removed. */
    public static class Legacy {
        @BackgroundTask(name = "legacy_report", category = CATEGORY)
        public String report(String quarter) {
            return "legacy " + quarter;
        }
    }

    /** The task of {@link Legacy} under a new name, with the old one as an alias. */
    public static class Renamed {
        @BackgroundTask(name = "report", category = CATEGORY, aliases = "legacy_report")
        public String report(String quarter) {
            return "renamed " + quarter;
        }
    }

    /** The first version of a task whose parameter later changes type. */
    public static class ResizeV1 {
        @BackgroundTask(name = "resize", category = CATEGORY, maxRetries = 3)
        public int resize(int size) {
            return size;
        }
    }

    public record Size(int width, int height) {}

    /** The second version: the parameter is now an object. */
    public static class ResizeV2 {
        final AtomicInteger runs = new AtomicInteger();

        @BackgroundTask(name = "resize", category = CATEGORY, maxRetries = 3)
        public int resize(Size size) {
            runs.incrementAndGet();
            return size.width();
        }
    }

    private static List<TaskEventType> eventsOf(EngineFixture fixture, UUID id) {
        return fixture.events().stream()
                .filter(event -> event.task().id().equals(id))
                .map(TaskEvent::type)
                .toList();
    }

    @Test
    default void aTaskWhoseNameIsNotRegisteredStaysPendingIsListedAsUnrunnableAndRunsWhereItIsKnown() {
        try (EngineFixture fixture = EngineFixture.start(storage(), PAUSED, new Legacy())) {
            UUID legacy = fixture.engine().submit(TaskRequest.of("legacy_report", "q3"));

            TaskEngine without = fixture.restartWith(EngineFixture.SETTINGS);
            UUID behind = fixture.submitIn(CATEGORY, "record", "behind");

            fixture.awaitStatus(behind, TaskStatus.SUCCESS); // the task ahead of it held up nothing
            // a shared store's figures are read every poll interval: they settle within one
            EngineFixture.await()
                    .untilAsserted(() -> assertThat(without.unrunnable())
                            .containsExactly(new UnrunnableTasks(
                                    "legacy_report",
                                    1,
                                    "no task named 'legacy_report' is registered in this application")));
            assertThat(without.stats().unrunnable()).containsExactlyElementsOf(without.unrunnable());
            EngineFixture.await()
                    .untilAsserted(
                            () -> assertThat(without.queues().get(CATEGORY).queued())
                                    .as("tasks waiting for a worker here")
                                    .isZero());
            TaskInfo waiting = without.get(legacy).orElseThrow();
            assertThat(waiting.status()).isEqualTo(TaskStatus.PENDING);
            assertThat(waiting.startedAt()).isNull();
            assertThat(waiting.error()).isNull();
            assertThat(eventsOf(fixture, legacy)).containsExactly(TaskEventType.SUBMITTED);

            TaskEngine knowing = fixture.restartWith(EngineFixture.SETTINGS, new Legacy());

            TaskInfo done = fixture.awaitStatus(legacy, TaskStatus.SUCCESS);
            assertThat(done.result()).isEqualTo("\"legacy q3\"");
            assertThat(knowing.unrunnable()).isEmpty();
        }
    }

    @Test
    default void aRenamedTaskRunsTheTasksStoredUnderItsAlias() {
        try (EngineFixture fixture = EngineFixture.start(storage(), PAUSED, new Legacy())) {
            UUID stored = fixture.engine().submit(TaskRequest.of("legacy_report", "q3"));

            TaskEngine renamed = fixture.restartWith(EngineFixture.SETTINGS, new Renamed());

            TaskInfo done = fixture.awaitStatus(stored, TaskStatus.SUCCESS);
            assertThat(done.name()).isEqualTo("legacy_report");
            assertThat(done.result()).isEqualTo("\"renamed q3\"");
            UUID underOldName = renamed.submit(TaskRequest.of("legacy_report", "q4"));
            assertThat(fixture.awaitStatus(underOldName, TaskStatus.SUCCESS).result())
                    .isEqualTo("\"renamed q4\"");
            assertThat(renamed.unrunnable()).isEmpty();
            assertThat(renamed.stats().registeredTasks()).contains("report").doesNotContain("legacy_report");
        }
    }

    @Test
    default void storedArgumentsThatNoLongerFitTheParametersFailTheTaskAtOnceNamingParameterValueAndType() {
        ResizeV2 v2 = new ResizeV2();
        try (EngineFixture fixture = EngineFixture.start(storage(), PAUSED, new ResizeV1())) {
            UUID byPosition = fixture.engine().submit(TaskRequest.of("resize", 640));
            UUID byName = fixture.engine()
                    .submit(TaskRequest.builder("resize").kwarg("size", 480).build());

            fixture.restartWith(EngineFixture.SETTINGS, v2);

            for (UUID id : List.of(byPosition, byName)) {
                TaskInfo failed = fixture.awaitStatus(id, TaskStatus.FAILED);
                assertThat(failed.retryCount())
                        .as("retries of a task that can never bind")
                        .isZero();
                assertThat(failed.maxRetries()).isEqualTo(3);
                assertThat(failed.error())
                        .contains("no longer fit")
                        .contains("argument 'size' must be Size, got " + (id == byPosition ? "640" : "480"));
                assertThat(eventsOf(fixture, id)).doesNotContain(TaskEventType.RETRY);
            }
            assertThat(v2.runs).hasValue(0);
        }
    }

    @Test
    default void failingUnrunnableTasksByHandEndsThemAndCancelsTheirDependants() {
        try (EngineFixture fixture = EngineFixture.start(storage(), PAUSED, new Legacy())) {
            UUID first = fixture.engine().submit(TaskRequest.of("legacy_report", "q1"));
            UUID second = fixture.engine().submit(TaskRequest.of("legacy_report", "q2"));
            UUID child = fixture.engine()
                    .submit(TaskRequest.builder("record")
                            .args("after-q1")
                            .dependsOn(first)
                            .build());

            TaskEngine without = fixture.restartWith(EngineFixture.SETTINGS);
            EngineFixture.await()
                    .untilAsserted(() -> assertThat(without.unrunnable())
                            .extracting(UnrunnableTasks::name, UnrunnableTasks::count)
                            .containsExactly(org.assertj.core.groups.Tuple.tuple("legacy_report", 2L)));

            assertThat(without.failUnrunnable("legacy_report")).isEqualTo(2);

            for (UUID id : List.of(first, second)) {
                TaskInfo failed = without.get(id).orElseThrow();
                assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
                assertThat(failed.error()).contains("no task named 'legacy_report' is registered in this application");
                assertThat(failed.startedAt()).isNull();
            }
            assertThat(without.unrunnable()).isEmpty();
            assertThat(fixture.awaitStatus(child, TaskStatus.CANCELLED).error()).contains(first.toString());
            assertThat(without.failUnrunnable("legacy_report")).isZero();
        }
    }

    @Test
    default void deletingUnrunnableTasksByHandRemovesThem() {
        try (EngineFixture fixture = EngineFixture.start(storage(), PAUSED, new Legacy())) {
            UUID legacy = fixture.engine().submit(TaskRequest.of("legacy_report", "q1"));

            TaskEngine without = fixture.restartWith(EngineFixture.SETTINGS);
            EngineFixture.await()
                    .untilAsserted(() -> assertThat(without.unrunnable()).hasSize(1));

            assertThat(without.deleteUnrunnable("legacy_report")).isEqualTo(1);

            assertThat(without.get(legacy)).isEmpty();
            assertThat(without.unrunnable()).isEmpty();
        }
    }

    @Test
    default void endingUnrunnableTasksRefusesANameThatRunsHereOrIsInvalid() {
        try (EngineFixture fixture = EngineFixture.start(storage(), EngineFixture.SETTINGS, new Renamed())) {
            TaskEngine engine = fixture.engine();

            assertThatIllegalArgumentException()
                    .isThrownBy(() -> engine.failUnrunnable("record"))
                    .withMessageContaining("A task named 'record' is registered in this application");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> engine.deleteUnrunnable("legacy_report"))
                    .withMessageContaining("as an alias of task 'report'");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> engine.failUnrunnable("no spaces allowed"))
                    .withMessageContaining("name 'no spaces allowed' is invalid");
        }
    }
}
