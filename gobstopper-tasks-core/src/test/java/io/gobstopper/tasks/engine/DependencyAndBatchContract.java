package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.gobstopper.tasks.BatchItemException;
import io.gobstopper.tasks.InvalidTaskArgumentsException;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.UnknownTaskException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

public interface DependencyAndBatchContract extends EngineContract {

    private static TaskRequest after(String name, String key, UUID... parents) {
        return TaskRequest.builder(name).args(key).dependsOn(parents).build();
    }

    @Test
    default void aDependantRunsOnlyAfterItsParentSucceeded() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID parent = fixture.engine().submit("block", "parent");
            UUID child = fixture.engine().submit(after("record", "child", parent));
            fixture.tasks().awaitStarted("parent");

            TaskInfo waiting = fixture.engine().get(child).orElseThrow();
            assertThat(waiting.status()).isEqualTo(TaskStatus.PENDING);
            assertThat(waiting.dependsOn()).containsExactly(parent);
            assertThat(fixture.tasks().runs("child")).isZero();

            fixture.tasks().release("parent");
            TaskInfo done = fixture.awaitStatus(child, TaskStatus.SUCCESS);
            TaskInfo parentDone = fixture.engine().get(parent).orElseThrow();
            assertThat(done.startedAt()).isAfterOrEqualTo(parentDone.completedAt());
        }
    }

    @Test
    default void whenAParentFailsItsDependantsAreCancelledTransitivelyWithTheReason() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID parent = fixture.engine().submit("block", "parent");
            UUID child = fixture.engine().submit(after("record", "child", parent));
            UUID grandchild = fixture.engine().submit(after("record", "grandchild", child));
            fixture.tasks().awaitStarted("parent");

            fixture.engine().cancel(parent); // interrupts the blocked run: it ends CANCELLED

            fixture.awaitStatus(parent, TaskStatus.CANCELLED);
            TaskInfo cancelledChild = fixture.awaitStatus(child, TaskStatus.CANCELLED);
            TaskInfo cancelledGrandchild = fixture.awaitStatus(grandchild, TaskStatus.CANCELLED);
            assertThat(cancelledChild.error()).contains(parent.toString()).contains("ended CANCELLED");
            assertThat(cancelledGrandchild.error()).contains(child.toString());
            assertThat(fixture.tasks().runs("child") + fixture.tasks().runs("grandchild"))
                    .isZero();
        }
    }

    @Test
    default void aFailedParentCancelsItsDependant() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            fixture.engine().resizeWorkers("default", 0);
            UUID parent = fixture.engine().submit("fail_fast", "parent");
            UUID child = fixture.engine().submit(after("record", "child", parent));
            fixture.engine().resizeWorkers("default", 2);

            fixture.awaitStatus(parent, TaskStatus.FAILED);
            TaskInfo cancelled = fixture.awaitStatus(child, TaskStatus.CANCELLED);
            assertThat(cancelled.error()).contains(parent.toString()).contains("ended FAILED");
        }
    }

    @Test
    default void unknownOrFailedParentsAreRefusedAtSubmitAndSucceededOnesNeedNoWait() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID unknown = UUID.randomUUID();
            assertThatExceptionOfType(InvalidTaskArgumentsException.class)
                    .isThrownBy(() -> fixture.engine().submit(after("record", "x", unknown)))
                    .withMessageContaining(unknown.toString())
                    .withMessageContaining("does not exist");

            UUID failed = fixture.engine().submit("fail_fast", "f");
            fixture.awaitStatus(failed, TaskStatus.FAILED);
            assertThatExceptionOfType(InvalidTaskArgumentsException.class)
                    .isThrownBy(() -> fixture.engine().submit(after("record", "y", failed)))
                    .withMessageContaining("FAILED");

            UUID done = fixture.engine().submit("record", "done");
            fixture.awaitStatus(done, TaskStatus.SUCCESS);
            fixture.engine().list(TaskFilter.all()); // writes everything: the parent is read back from the table
            UUID child = fixture.engine().submit(after("record", "z", done));
            fixture.awaitStatus(child, TaskStatus.SUCCESS);
            assertThat(fixture.engine().list(TaskFilter.all()).total()).isEqualTo(3);
        }
    }

    @Test
    default void aDependantStillWaitsForItsParentAfterARestart() {
        TaskEngineSettings paused =
                EngineFixture.SETTINGS.withCategory("later", new TaskEngineSettings.CategorySettings(0, null));
        try (EngineFixture fixture = EngineFixture.start(storage(), paused)) {
            UUID parent = fixture.submitIn("later", "record", "parent");
            UUID child = fixture.engine().submit(after("record", "child", parent));

            fixture.restart(paused);
            assertThat(fixture.engine().get(child).orElseThrow().status()).isEqualTo(TaskStatus.PENDING);
            assertThat(fixture.tasks().runs("child")).isZero();

            fixture.engine().resizeWorkers("later", 1);
            fixture.awaitStatus(child, TaskStatus.SUCCESS);
            assertThat(fixture.tasks().order()).containsExactly("parent", "child");
        }
    }

    @Test
    default void aChainRunsInOrderAndIsStoredAtOnce() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            List<UUID> ids = fixture.engine()
                    .chain(TaskRequest.of("record", "a"))
                    .then("record", "b")
                    .then(TaskRequest.of("record", "c"))
                    .submit();

            assertThat(ids).hasSize(3).doesNotHaveDuplicates();
            fixture.awaitStatus(ids.get(2), TaskStatus.SUCCESS);
            assertThat(fixture.tasks().order()).containsExactly("a", "b", "c");
            assertThat(fixture.engine().get(ids.get(1)).orElseThrow().dependsOn())
                    .containsExactly(ids.get(0));
        }
    }

    @Test
    default void aBatchWithOneInvalidItemStoresNothingAndNamesTheItem() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            fixture.engine().submit("record", "before");
            long before = fixture.engine().list(TaskFilter.all()).total();

            assertThatExceptionOfType(BatchItemException.class)
                    .isThrownBy(() -> fixture.engine()
                            .submitAll(List.of(
                                    TaskRequest.of("record", "one"),
                                    TaskRequest.of("record", "two"),
                                    TaskRequest.of("no_such_task"),
                                    TaskRequest.of("record", "four"))))
                    .withMessageContaining("Batch item 2")
                    .withMessageContaining("no_such_task")
                    .withMessageContaining("Nothing of the batch was stored")
                    .satisfies(ex -> {
                        assertThat(ex.index()).isEqualTo(2);
                        assertThat(ex.reason()).isInstanceOf(UnknownTaskException.class);
                    });
            assertThatExceptionOfType(BatchItemException.class)
                    .isThrownBy(() -> fixture.engine()
                            .submitAll(List.of(TaskRequest.of("record", "one"), TaskRequest.of("record", 42))))
                    .satisfies(ex -> assertThat(ex.index()).isEqualTo(1));

            assertThat(fixture.engine().list(TaskFilter.all()).total()).isEqualTo(before);
            assertThat(fixture.tasks().runs("one")).isZero();
            // a shared store's queue figures are read every poll interval: they settle within one
            EngineFixture.await()
                    .untilAsserted(() -> assertThat(
                                    fixture.engine().queues().get("default").queued())
                            .isZero());
        }
    }

    @Test
    default void aValidBatchStoresAndRunsEveryTask() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            List<UUID> ids = fixture.engine()
                    .submitAll(List.of(
                            TaskRequest.of("record", "p"),
                            TaskRequest.of("record", "q"),
                            TaskRequest.of("record", "r")));

            assertThat(ids).hasSize(3).doesNotHaveDuplicates();
            ids.forEach(id -> fixture.awaitStatus(id, TaskStatus.SUCCESS));
            assertThat(fixture.tasks().order()).containsExactlyInAnyOrder("p", "q", "r");
        }
    }
}
