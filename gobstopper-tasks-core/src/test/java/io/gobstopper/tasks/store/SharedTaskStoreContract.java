package io.gobstopper.tasks.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.contract.TestStorage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store shared by several instances does besides the {@link TaskStoreContract}: claims in priority then
 * arrival order of due tasks whose parents succeeded, the housekeeping that cancels the dependants of a failed parent,
 * and the figures of the tasks waiting for a worker.
 */
public abstract class SharedTaskStoreContract {

    /** New storage of the shared store kind under test, for one test. */
    protected abstract TestStorage storage();

    private TestStorage storage;
    private SharedTaskStore store;

    @BeforeEach
    void openStore() {
        storage = storage();
        store = (SharedTaskStore) storage.create();
        store.open(now());
    }

    @AfterEach
    void closeStore() {
        try {
            store.close();
        } finally {
            storage.close();
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private LiveTask inserted(
            String category, TaskPriority priority, Instant createdAt, Instant runAt, List<UUID> parents) {
        LiveTask task = LiveTask.submitted(
                UUID.randomUUID(), "shared", category, priority, 0, "[]", "{}", createdAt, runAt, parents, null, null);
        TaskStore.await(store.insert(List.of(task)));
        return task;
    }

    @Test
    void claimsTakeDueTasksHighestPriorityFirstThenOldestAndNeverTwice() {
        Instant base = now().minusSeconds(10);
        LiveTask normalOld = inserted("claims", TaskPriority.NORMAL, base, null, List.of());
        LiveTask high = inserted("claims", TaskPriority.HIGH, base.plusSeconds(2), null, List.of());
        LiveTask normalNew = inserted("claims", TaskPriority.NORMAL, base.plusSeconds(1), null, List.of());
        LiveTask later = inserted("claims", TaskPriority.CRITICAL, base, now().plusSeconds(3600), List.of());
        inserted("elsewhere", TaskPriority.CRITICAL, base, null, List.of());

        List<LiveTask> first = store.claim("claims", 2, now());
        List<LiveTask> second = store.claim("claims", 5, now());

        assertThat(first).extracting(LiveTask::id).containsExactly(high.id(), normalOld.id());
        assertThat(second).extracting(LiveTask::id).containsExactly(normalNew.id());
        assertThat(store.claim("claims", 5, now())).isEmpty();
        assertThat(store.find(later.id()).orElseThrow().status())
                .as("not due yet")
                .isEqualTo(TaskStatus.PENDING);
        assertThat(store.claim("claims", 5, now().plusSeconds(3601)))
                .extracting(LiveTask::id)
                .containsExactly(later.id());
    }

    @Test
    void aDependantIsClaimedOnceItsParentsSucceededAndCancelledWhenOneFailed() {
        LiveTask parent = inserted("parents", TaskPriority.NORMAL, now(), null, List.of());
        LiveTask doomed = inserted("parents", TaskPriority.NORMAL, now(), null, List.of());
        LiveTask child = inserted("children", TaskPriority.NORMAL, now(), null, List.of(parent.id()));
        LiveTask orphan = inserted("children", TaskPriority.NORMAL, now(), null, List.of(doomed.id()));
        LiveTask grandchild = inserted("children", TaskPriority.NORMAL, now(), null, List.of(orphan.id()));

        assertThat(store.claim("children", 5, now())).as("parents unfinished").isEmpty();
        List<LiveTask> parents = store.claim("parents", 2, now());
        for (LiveTask task : parents) {
            store.apply(task, new TaskChange.Start(now()));
            if (task.id().equals(parent.id())) {
                store.apply(task, new TaskChange.Succeed(null, now()));
            } else {
                store.apply(task, new TaskChange.Fail("boom", now(), null));
            }
        }
        store.sweep(now());

        assertThat(store.claim("children", 5, now())).extracting(LiveTask::id).containsExactly(child.id());
        for (LiveTask cancelled : List.of(orphan, grandchild)) {
            TaskInfo info = store.find(cancelled.id()).orElseThrow();
            assertThat(info.status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(info.error()).startsWith("Cancelled: task ").contains("that this task depends on ended");
        }
    }

    @Test
    void theTasksWaitingForAWorkerAreCountedPerCategoryWithTheOldestDueTime() {
        Instant base = now().minusSeconds(30);
        inserted("waiting", TaskPriority.NORMAL, base, null, List.of());
        inserted("waiting", TaskPriority.NORMAL, base.plusSeconds(5), null, List.of());
        Instant later = now().plusSeconds(3600);
        inserted("waiting", TaskPriority.NORMAL, base, later, List.of());
        LiveTask parent = inserted("other", TaskPriority.NORMAL, base.plusSeconds(1), null, List.of());
        inserted("other", TaskPriority.NORMAL, base, null, List.of(parent.id()));

        assertThat(store.waiting(now()))
                .containsEntry("waiting", new SharedTaskStore.Waiting(2, base))
                .containsEntry("other", new SharedTaskStore.Waiting(1, base.plusSeconds(1)))
                .hasSize(2);
        store.claim("waiting", 5, now());
        assertThat(store.waiting(now())).doesNotContainKey("waiting");
        assertThat(store.waiting(later.plus(Duration.ofHours(1))))
                .as("once the delayed one is due")
                .containsEntry("waiting", new SharedTaskStore.Waiting(1, later));
    }
}
