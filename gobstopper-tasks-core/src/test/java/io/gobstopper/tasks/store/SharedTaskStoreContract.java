package io.gobstopper.tasks.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.contract.TestStorage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        return inserted("shared", category, priority, createdAt, runAt, parents);
    }

    private LiveTask inserted(
            String name, String category, TaskPriority priority, Instant createdAt, Instant runAt, List<UUID> parents) {
        LiveTask task = LiveTask.submitted(
                UUID.randomUUID(), name, category, priority, 0, "[]", "{}", createdAt, runAt, parents, null, null);
        TaskStore.await(store.insert(List.of(task)));
        return task;
    }

    private LiveTask named(String name, String category, TaskPriority priority, Instant createdAt) {
        return inserted(name, category, priority, createdAt, null, List.of());
    }

    @Test
    void claimsPassOverTasksOfNamesTheInstanceDoesNotRunWithoutHoldingUpTheTasksBehindThem() {
        Instant base = now().minusSeconds(10);
        LiveTask gone = named("gone", "named", TaskPriority.CRITICAL, base);
        LiveTask goneToo = named("gone", "named", TaskPriority.NORMAL, base.plusSeconds(1));
        LiveTask known = named("known", "named", TaskPriority.NORMAL, base.plusSeconds(2));
        LiveTask alias = named("old_known", "named", TaskPriority.LOW, base.plusSeconds(3));

        List<LiveTask> claimed = store.claim(Map.of("named", 5), List.of("known", "old_known"), now());

        assertThat(claimed).extracting(LiveTask::id).containsExactly(known.id(), alias.id());
        assertThat(store.claim(Map.of("named", 5), List.of("known"), now())).isEmpty();
        assertThat(store.find(gone.id()).orElseThrow().status()).isEqualTo(TaskStatus.PENDING);
        assertThat(store.waitingOutside(List.of("known", "old_known"))).containsExactly(Map.entry("gone", 2L));
        assertThat(store.waitingOutside(List.of("gone", "known"))).isEmpty();
        assertThat(store.waiting(now()).get("named").count()).isEqualTo(2);
        assertThat(store.waiting(now(), List.of("known", "old_known"))).doesNotContainKey("named");
        assertThat(store.waiting(now(), List.of("gone")).get("named").count()).isEqualTo(2);
        assertThat(store.claim(Map.of("named", 5), List.of("gone"), now()))
                .extracting(LiveTask::id)
                .containsExactly(gone.id(), goneToo.id());
    }

    @Test
    void waitingTasksOfANameAreFailedOrDeletedWithOneCallAndClaimedOnesAreLeftAlone() {
        Instant base = now().minusSeconds(10);
        LiveTask claimedOne = named("gone", "ending", TaskPriority.HIGH, base);
        LiveTask first = named("gone", "ending", TaskPriority.NORMAL, base.plusSeconds(1));
        LiveTask second = named("gone", "ending", TaskPriority.NORMAL, base.plusSeconds(2));
        LiveTask other = named("kept", "ending", TaskPriority.NORMAL, base.plusSeconds(3));
        assertThat(store.claim(Map.of("ending", 1), List.of("gone"), now()))
                .extracting(LiveTask::id)
                .containsExactly(claimedOne.id());
        Instant ended = now();

        List<TaskInfo> failed = store.failWaiting("gone", "no task named 'gone'", ended);

        assertThat(failed).extracting(TaskInfo::id).containsExactlyInAnyOrder(first.id(), second.id());
        TaskInfo stored = store.find(first.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(stored.error()).isEqualTo("no task named 'gone'");
        assertThat(stored.completedAt()).isEqualTo(ended);
        assertThat(store.find(claimedOne.id()).orElseThrow().status())
                .as("claimed: left to its instance")
                .isNotEqualTo(TaskStatus.FAILED);
        assertThat(store.failWaiting("gone", "again", ended)).isEmpty();

        assertThat(store.deleteWaiting("kept")).isEqualTo(1);
        assertThat(store.find(other.id())).isEmpty();
        assertThat(store.find(first.id())).isPresent();
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
    void oneClaimTakesTasksOfSeveralCategoriesEachUpToItsOwnMaximum() {
        Instant base = now().minusSeconds(10);
        LiveTask a1 = inserted("many-a", TaskPriority.NORMAL, base, null, List.of());
        LiveTask a2 = inserted("many-a", TaskPriority.NORMAL, base.plusSeconds(1), null, List.of());
        inserted("many-a", TaskPriority.NORMAL, base.plusSeconds(2), null, List.of());
        LiveTask b1 = inserted("many-b", TaskPriority.LOW, base, null, List.of());
        LiveTask b2 = inserted("many-b", TaskPriority.HIGH, base.plusSeconds(3), null, List.of());
        inserted("many-c", TaskPriority.CRITICAL, base, null, List.of());

        Map<String, Integer> wanted = new LinkedHashMap<>();
        wanted.put("many-a", 2);
        wanted.put("many-b", 5);
        wanted.put("many-c", 0);
        List<LiveTask> claimed = store.claim(wanted, now());

        assertThat(claimed)
                .as("highest priority first, then oldest, across the categories")
                .extracting(LiveTask::id)
                .containsExactly(b2.id(), a1.id(), a2.id(), b1.id());
        assertThat(store.claim(Map.of("many-b", 5), now())).isEmpty();
        assertThat(store.claim(Map.of("many-a", 5, "many-c", 5), now())).hasSize(2);
    }

    @Test
    void claimedTasksGivenBackWaitAgainWithoutAnAttemptCountedAndAStartedOneStaysClaimed() {
        Instant base = now().minusSeconds(10);
        for (int i = 0; i < 3; i++) {
            inserted("given-back", TaskPriority.NORMAL, base.plusSeconds(i), null, List.of());
        }
        List<LiveTask> claimed = store.claim("given-back", 3, now());
        LiveTask started = claimed.get(0);
        assertThat(store.apply(started, new TaskChange.Start(now()))).isTrue();

        store.unclaim(claimed);

        assertThat(store.find(started.id()).orElseThrow().status()).isEqualTo(TaskStatus.STARTED);
        assertThat(store.tracked(started.id())).isSameAs(started);
        for (LiveTask back : claimed.subList(1, 3)) {
            TaskInfo info = store.find(back.id()).orElseThrow();
            assertThat(info.status()).isEqualTo(TaskStatus.PENDING);
            assertThat(info.retryCount()).isZero();
            assertThat(info.startedAt()).isNull();
            assertThat(store.tracked(back.id())).isNull();
            assertThat(store.apply(back, new TaskChange.Start(now())))
                    .as("no longer this instance's to start")
                    .isFalse();
        }
        List<LiveTask> again = store.claim("given-back", 5, now());
        assertThat(again)
                .extracting(LiveTask::id)
                .containsExactly(claimed.get(1).id(), claimed.get(2).id());
        assertThat(store.apply(started, new TaskChange.Succeed(null, now()))).isTrue();
        assertThat(store.find(started.id()).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESS);
    }

    @Test
    void theSoonestDelayedTaskSaysWhenToLookForWorkNext() {
        Instant now = now();
        assertThat(store.nextDue(now)).isEmpty();
        inserted("delayed", TaskPriority.NORMAL, now, null, List.of());
        Instant soon = now.plusSeconds(60);
        Instant later = now.plusSeconds(120);
        inserted("delayed", TaskPriority.NORMAL, now, later, List.of());
        inserted("delayed-too", TaskPriority.NORMAL, now, soon, List.of());

        assertThat(store.nextDue(now)).contains(soon);
        assertThat(store.nextDue(soon)).as("once the soonest is due").contains(later);
        assertThat(store.nextDue(later)).isEmpty();
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
