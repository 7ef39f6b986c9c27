package io.gobstopper.tasks.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.gobstopper.tasks.TaskAnalytics;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskNotFoundException;
import io.gobstopper.tasks.TaskPage;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskStateException;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.contract.ExpectedAnalytics;
import io.gobstopper.tasks.contract.TestStorage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store does, held to one set of tests: each kind of store has a test class that extends this one. The
 * engine's behaviour on the stores is held by the engine contracts ({@code io.gobstopper.tasks.engine.*Contract});
 * this suite holds the store alone to what the engine relies on: inserts that keep every field, guarded transitions
 * with one winner, cancel, retry, delete and cleanup, unique keys, the recurring fire's compare-and-set, and the
 * figures of listing, counts and analytics.
 */
public abstract class TaskStoreContract {

    /** New storage of the store kind under test, for one test. */
    protected abstract TestStorage storage();

    /**
     * The task as a worker of this store gets it to run, ready for {@code markStarted}: a store of one instance hands
     * the engine the task it holds; an instance of a shared store claims it.
     */
    protected abstract LiveTask take(TaskStore store, UUID id, String category, Instant now);

    private TestStorage storage;
    private TaskStore store;
    private final AtomicInteger names = new AtomicInteger();

    @BeforeEach
    void openStore() {
        storage = storage();
        store = storage.create();
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

    /** The store under test, open. */
    protected TaskStore store() {
        return store;
    }

    /** Closes the store and opens a new one on the same data, as a restart does. */
    protected TaskStore reopen() {
        store.close();
        store = storage.create();
        store.open(now());
        return store;
    }

    protected static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private LiveTask newTask(String category) {
        return newTask(category, TaskPriority.NORMAL, now(), null, null);
    }

    private LiveTask newTask(String category, TaskPriority priority, Instant createdAt, Instant runAt, String key) {
        return LiveTask.submitted(
                UUID.randomUUID(),
                "task_" + names.incrementAndGet() % 3,
                category,
                priority,
                2,
                "[\"a\",1]",
                "{\"k\":true}",
                createdAt,
                runAt,
                List.of(),
                key,
                null);
    }

    private LiveTask inserted(LiveTask task) {
        TaskStore.await(store.insert(List.of(task)));
        return task;
    }

    private LiveTask running(LiveTask task, Instant at) {
        LiveTask taken = take(store, task.id(), task.category(), at);
        assertThat(store.apply(taken, new TaskChange.Start(at))).as("started").isTrue();
        return taken;
    }

    private TaskInfo stored(UUID id) {
        return store.find(id).orElseThrow();
    }

    // ---- inserting ----

    @Test
    void anInsertedTaskKeepsEveryFieldAcrossARestart() {
        Instant created = now();
        Instant runAt = created.plusSeconds(3600);
        UUID parent = inserted(newTask("fields")).id();
        LiveTask task = LiveTask.submitted(
                UUID.randomUUID(),
                "send",
                "fields",
                TaskPriority.HIGH,
                3,
                "[\"a\",1]",
                "{\"k\":true}",
                created,
                runAt,
                List.of(parent),
                "key-1",
                Duration.ofMillis(1500));
        inserted(task);

        for (boolean restarted : new boolean[] {false, true}) {
            TaskInfo found = (restarted ? reopen() : store).find(task.id()).orElseThrow();
            assertThat(found.name()).isEqualTo("send");
            assertThat(found.category()).isEqualTo("fields");
            assertThat(found.priority()).isEqualTo(TaskPriority.HIGH);
            assertThat(found.status()).isEqualTo(TaskStatus.PENDING);
            assertThat(found.maxRetries()).isEqualTo(3);
            assertThat(found.retryCount()).isZero();
            assertThat(found.args()).isEqualTo("[\"a\",1]");
            assertThat(found.kwargs()).isEqualTo("{\"k\":true}");
            assertThat(found.createdAt()).isEqualTo(created);
            assertThat(found.runAt()).isEqualTo(runAt);
            assertThat(found.dependsOn()).containsExactly(parent);
            assertThat(found.uniqueKey()).isEqualTo("key-1");
            assertThat(found.timeout()).isEqualTo(Duration.ofMillis(1500));
            assertThat(found.startedAt()).isNull();
            assertThat(found.completedAt()).isNull();
            assertThat(found.progress()).isZero();
        }
    }

    @Test
    void outcomesAndProgressAnsweredLaterAreStoredOnceAnswered() throws Exception {
        LiveTask ok = running(inserted(newTask("answered")), now());
        LiveTask bad = running(inserted(newTask("answered")), now());

        assertThat(store.applyAsync(ok, new TaskChange.Progress(50, "half"))
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS))
                .isTrue();
        CompletableFuture<Boolean> succeeded =
                store.applyAsync(ok, new TaskChange.Succeed("1", now())).toCompletableFuture();
        CompletableFuture<Boolean> failed =
                store.applyAsync(bad, new TaskChange.Fail("boom", now(), null)).toCompletableFuture();
        assertThat(succeeded.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(failed.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(store.applyAsync(ok, new TaskChange.Succeed("2", now()))
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS))
                .as("it has ended")
                .isFalse();

        TaskStore restarted = reopen();
        assertThat(restarted.find(ok.id()).orElseThrow())
                .extracting(TaskInfo::status, TaskInfo::result, TaskInfo::progress)
                .containsExactly(TaskStatus.SUCCESS, "1", 100);
        assertThat(restarted.find(bad.id()).orElseThrow())
                .extracting(TaskInfo::status, TaskInfo::error)
                .containsExactly(TaskStatus.FAILED, "boom");
    }

    @Test
    void aBatchIsStoredWhole() {
        List<LiveTask> batch = List.of(newTask("batch"), newTask("batch"), newTask("batch"));
        TaskStore.await(store.insert(batch, true));

        assertThat(store.list(new TaskFilter("batch", null, null, 50, 0)).total())
                .isEqualTo(3);
        batch.forEach(task -> assertThat(stored(task.id()).status()).isEqualTo(TaskStatus.PENDING));
    }

    @Test
    void anUnknownIdIsNotFound() {
        assertThat(store.find(UUID.randomUUID())).isEmpty();
    }

    // ---- transitions ----

    @Test
    void aRunEndsSuccessWithItsProgressAndResult() {
        LiveTask task = inserted(newTask("run"));
        Instant started = now();
        LiveTask taken = running(task, started);
        assertThat(store.apply(taken, new TaskChange.Progress(40, "halfway"))).isTrue();
        assertThat(stored(task.id()))
                .extracting(TaskInfo::status, TaskInfo::progress, TaskInfo::progressMessage)
                .containsExactly(TaskStatus.STARTED, 40, "halfway");

        Instant completed = started.plusMillis(250);
        assertThat(store.apply(taken, new TaskChange.Succeed("{\"ok\":true}", completed)))
                .isTrue();

        for (boolean restarted : new boolean[] {false, true}) {
            TaskInfo done = (restarted ? reopen() : store).find(task.id()).orElseThrow();
            assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
            assertThat(done.result()).isEqualTo("{\"ok\":true}");
            assertThat(done.progress()).isEqualTo(100);
            assertThat(done.startedAt()).isEqualTo(started);
            assertThat(done.completedAt()).isEqualTo(completed);
            assertThat(done.error()).isNull();
        }
    }

    @Test
    void aFailedRunWithRetriesLeftWaitsInRetryUntilItsTimeThenCanEndFailed() {
        LiveTask task = inserted(newTask("retry"));
        LiveTask taken = running(task, now());
        Instant retryAt = now().plusMillis(200);

        assertThat(store.apply(taken, new TaskChange.Fail("boom", now(), retryAt)))
                .isTrue();
        TaskInfo waiting = stored(task.id());
        assertThat(waiting.status()).isEqualTo(TaskStatus.RETRY);
        assertThat(waiting.runAt()).isEqualTo(retryAt);
        assertThat(waiting.retryCount()).isEqualTo(1);
        assertThat(waiting.error()).isEqualTo("boom");
        assertThat(waiting.completedAt()).isNull();

        LiveTask again = running(task, retryAt.plusMillis(1));
        assertThat(store.apply(again, new TaskChange.Fail("boom again", now(), null)))
                .isTrue();
        TaskInfo failed = stored(task.id());
        assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.retryCount()).isEqualTo(1);
        assertThat(failed.error()).isEqualTo("boom again");
        assertThat(failed.completedAt()).isNotNull();
        assertThat(store.recentFailures(10)).extracting(TaskInfo::id).containsExactly(task.id());
    }

    @Test
    void transitionsApplyOnlyFromTheirOwnStatus() {
        LiveTask task = inserted(newTask("guards"));
        Instant now = now();
        LiveTask taken = take(store, task.id(), task.category(), now);
        assertThat(store.apply(taken, new TaskChange.Succeed(null, now)))
                .as("succeed before start")
                .isFalse();
        assertThat(store.apply(taken, new TaskChange.Fail("x", now, null)))
                .as("fail before start")
                .isFalse();
        assertThat(store.apply(taken, new TaskChange.Stop("x", now)))
                .as("stop before start")
                .isFalse();
        assertThat(store.apply(taken, new TaskChange.Progress(10, null)))
                .as("progress before start")
                .isFalse();

        assertThat(store.apply(taken, new TaskChange.Start(now))).isTrue();
        assertThat(store.apply(taken, new TaskChange.Start(now)))
                .as("start twice")
                .isFalse();
        assertThat(store.apply(taken, new TaskChange.Cancel("x", now)))
                .as("cancel a running task as if waiting")
                .isFalse();
        assertThat(store.apply(taken, new TaskChange.Reject("x", now)))
                .as("reject a running task")
                .isFalse();
        assertThat(store.apply(taken, new TaskChange.Succeed(null, now))).isTrue();
        assertThat(store.apply(taken, new TaskChange.Succeed(null, now)))
                .as("succeed twice")
                .isFalse();
        assertThat(store.apply(taken, new TaskChange.Fail("x", now, null)))
                .as("fail after success")
                .isFalse();
        assertThat(stored(task.id()).status()).isEqualTo(TaskStatus.SUCCESS);
    }

    @Test
    void aTaskThatCannotRunIsRejectedWithoutStarting() {
        LiveTask task = inserted(newTask("rejected"));
        LiveTask taken = take(store, task.id(), task.category(), now());

        assertThat(store.apply(taken, new TaskChange.Reject("No task named 'x' is registered", now())))
                .isTrue();

        TaskInfo failed = stored(task.id());
        assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.error()).isEqualTo("No task named 'x' is registered");
        assertThat(failed.startedAt()).isNull();
        assertThat(store.apply(taken, new TaskChange.Start(now()))).isFalse();
    }

    @Test
    void aRunCutOffByShutdownIsReleasedToPendingAndRunsAgainWithoutCountingAnAttempt() {
        LiveTask task = inserted(newTask("released"));
        LiveTask taken = running(task, now());
        assertThat(store.apply(taken, new TaskChange.Progress(30, "some"))).isTrue();

        assertThat(store.apply(taken, new TaskChange.Release())).isTrue();

        TaskInfo released = reopen().find(task.id()).orElseThrow();
        assertThat(released.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(released.retryCount()).isZero();
        assertThat(released.startedAt()).isNull();
        assertThat(released.progress()).isZero();
        running(task, now());
    }

    // ---- cancel ----

    @Test
    void aCancelledWaitingTaskIsCancelledForGoodAndNeverStarts() {
        LiveTask task = inserted(newTask("cancel"));
        Instant at = now();

        TaskInfo answer = store.cancel(task.id(), at);

        assertThat(answer.status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(answer.completedAt()).isEqualTo(at);
        assertThat(answer.runAt()).isNull();
        assertThat(reopen().find(task.id()).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
        assertThatExceptionOfType(TaskStateException.class)
                .isThrownBy(() -> store.cancel(task.id(), now()))
                .withMessageContaining("CANCELLED")
                .satisfies(ex -> assertThat(ex.status()).isEqualTo(TaskStatus.CANCELLED));
    }

    @Test
    void aCancelOfARunningTaskIsARequestAndTheRunEndsCancelledNotWithItsOutcome() {
        LiveTask task = inserted(newTask("stop"));
        LiveTask taken = running(task, now());

        TaskInfo answer = store.cancel(task.id(), now());

        assertThat(answer.status()).isEqualTo(TaskStatus.STARTED);
        assertThat(answer.cancelRequested()).isTrue();
        assertThat(taken.cancelRequested()).isTrue();
        assertThat(store.apply(taken, new TaskChange.Succeed("\"late\"", now())))
                .as("the request wins over the outcome")
                .isFalse();
        assertThat(store.apply(taken, new TaskChange.Stop("Cancelled while running", now())))
                .isTrue();
        TaskInfo stopped = stored(task.id());
        assertThat(stopped.status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(stopped.error()).isEqualTo("Cancelled while running");
        assertThat(stopped.result()).isNull();
        assertThat(stopped.cancelRequested()).isFalse();
    }

    @Test
    void aDependantCancelledBecauseItsParentFailedKeepsTheReason() {
        LiveTask task = inserted(newTask("dependant"));
        LiveTask taken = take(store, task.id(), task.category(), now());

        assertThat(store.apply(
                        taken,
                        new TaskChange.Cancel("Cancelled: task x (y) that this task depends on ended FAILED", now())))
                .isTrue();

        assertThat(stored(task.id()))
                .extracting(TaskInfo::status, TaskInfo::error)
                .containsExactly(TaskStatus.CANCELLED, "Cancelled: task x (y) that this task depends on ended FAILED");
    }

    @Test
    void aCancelRacingAStartHasExactlyOneWinner() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            int cancelWon = 0;
            for (int round = 0; round < 100; round++) {
                LiveTask task = inserted(newTask("race-" + round));
                CyclicBarrier go = new CyclicBarrier(2);
                Future<TaskStatus> cancel = threads.submit(() -> {
                    go.await(10, TimeUnit.SECONDS);
                    return store.cancel(task.id(), now()).status();
                });
                Future<Boolean> start = threads.submit(() -> {
                    go.await(10, TimeUnit.SECONDS);
                    LiveTask taken = takeIfThere(task);
                    return taken != null && store.apply(taken, new TaskChange.Start(now()));
                });
                TaskStatus answer = cancel.get(10, TimeUnit.SECONDS);
                boolean started = start.get(10, TimeUnit.SECONDS);
                if (started) {
                    assertThat(answer)
                            .as("round %d: a cancel after the start asks the run to stop", round)
                            .isEqualTo(TaskStatus.STARTED);
                    assertThat(stored(task.id()).status()).isEqualTo(TaskStatus.STARTED);
                    LiveTask taken = store.tracked(task.id());
                    assertThat(store.apply(taken, new TaskChange.Stop("Cancelled while running", now())))
                            .isTrue();
                } else {
                    cancelWon++;
                    assertThat(answer)
                            .as("round %d: a cancel before the start wins", round)
                            .isEqualTo(TaskStatus.CANCELLED);
                }
                assertThat(stored(task.id()).status()).as("round %d", round).isEqualTo(TaskStatus.CANCELLED);
            }
            System.out.printf("cancel won %d of 100 rounds%n", cancelWon);
        } finally {
            threads.shutdownNow();
        }
    }

    /** Takes the task to run unless a cancel got it first (then a shared store has nothing to claim). */
    private LiveTask takeIfThere(LiveTask task) {
        try {
            return take(store, task.id(), task.category(), now());
        } catch (AssertionError cancelledFirst) {
            return null;
        }
    }

    // ---- retry, delete, cleanup ----

    @Test
    void aFailedOrCancelledTaskIsPutBackToPendingWithAFreshCountAndNothingElseIs() {
        LiveTask failed = inserted(newTask("again"));
        LiveTask taken = running(failed, now());
        store.apply(taken, new TaskChange.Fail("boom", now(), null));
        LiveTask cancelled = inserted(newTask("again"));
        store.cancel(cancelled.id(), now());
        LiveTask waiting = inserted(newTask("again"));

        for (LiveTask task : List.of(failed, cancelled)) {
            LiveTask retried = store.retry(task.id());
            TaskInfo reset = retried.snapshot();
            assertThat(reset.status()).isEqualTo(TaskStatus.PENDING);
            assertThat(reset.retryCount()).isZero();
            assertThat(reset.error()).isNull();
            assertThat(reset.startedAt()).isNull();
            assertThat(reset.completedAt()).isNull();
            assertThat(reset.runAt()).isNull();
            assertThat(stored(task.id()).status()).isEqualTo(TaskStatus.PENDING);
        }
        assertThatExceptionOfType(TaskStateException.class)
                .isThrownBy(() -> store.retry(waiting.id()))
                .withMessageContaining("PENDING")
                .withMessageContaining("only FAILED or CANCELLED");
        assertThatExceptionOfType(TaskNotFoundException.class).isThrownBy(() -> store.retry(UUID.randomUUID()));
    }

    @Test
    void aBulkRetryTakesTheFailedTasksOfRunnableNamesInTheCategory() {
        List<UUID> failedHere = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            LiveTask task = inserted(newTask("bulk"));
            store.apply(running(task, now()), new TaskChange.Fail("boom", now(), null));
            failedHere.add(task.id());
        }
        LiveTask elsewhere = inserted(newTask("other"));
        store.apply(running(elsewhere, now()), new TaskChange.Fail("boom", now(), null));
        List<String> runnable =
                failedHere.stream().map(id -> stored(id).name()).distinct().toList();

        TaskStore.RetriedTasks retried = store.retryFailed("bulk", runnable);

        assertThat(retried.totalFailed()).isEqualTo(3);
        assertThat(retried.tasks()).extracting(LiveTask::id).containsExactlyInAnyOrderElementsOf(failedHere);
        assertThat(stored(elsewhere.id()).status()).isEqualTo(TaskStatus.FAILED);
        assertThat(store.retryFailed(null, List.of()).tasks())
                .as("no runnable names, nothing retried")
                .isEmpty();
    }

    @Test
    void onlyEndedTasksAreDeleted() {
        LiveTask done = inserted(newTask("delete"));
        store.apply(running(done, now()), new TaskChange.Succeed(null, now()));
        LiveTask waiting = inserted(newTask("delete"));

        store.delete(done.id());

        assertThat(store.find(done.id())).isEmpty();
        assertThatExceptionOfType(TaskStateException.class)
                .isThrownBy(() -> store.delete(waiting.id()))
                .withMessageContaining("PENDING")
                .withMessageContaining("cancel it first");
        assertThatExceptionOfType(TaskNotFoundException.class).isThrownBy(() -> store.delete(done.id()));
    }

    @Test
    void cleanupDeletesOnlyEndedTasksThatEndedBeforeTheCutOff() {
        Instant old = now().minus(Duration.ofDays(2));
        LiveTask oldDone = inserted(newTask("cleanup"));
        store.apply(running(oldDone, old), new TaskChange.Succeed(null, old));
        LiveTask oldCancelled = inserted(newTask("cleanup"));
        store.cancel(oldCancelled.id(), old);
        LiveTask recentDone = inserted(newTask("cleanup"));
        store.apply(running(recentDone, now()), new TaskChange.Succeed(null, now()));
        LiveTask waiting = inserted(newTask("cleanup", TaskPriority.NORMAL, old, null, null));

        assertThat(store.deleteCompletedBefore(now().minus(Duration.ofDays(1)))).isEqualTo(2);

        assertThat(store.find(oldDone.id())).isEmpty();
        assertThat(store.find(oldCancelled.id())).isEmpty();
        assertThat(store.find(recentDone.id())).isPresent();
        assertThat(store.find(waiting.id())).isPresent();
    }

    // ---- unique keys ----

    @Test
    void aUniqueKeyIsHeldByOneUnfinishedTaskAtATime() {
        LiveTask first = newTask("keys", TaskPriority.NORMAL, now(), null, "nightly");
        assertThat(store.claimUniqueKey(first)).isEmpty();
        inserted(first);

        LiveTask second = newTask("keys", TaskPriority.NORMAL, now(), null, "nightly");
        assertThat(store.claimUniqueKey(second)).map(TaskInfo::id).contains(first.id());
        assertThat(store.claimUniqueKey(newTask("keys")))
                .as("no key, nothing held")
                .isEmpty();

        store.apply(running(first, now()), new TaskChange.Succeed(null, now()));
        LiveTask third = newTask("keys", TaskPriority.NORMAL, now(), null, "nightly");
        assertThat(store.claimUniqueKey(third)).as("the holder ended").isEmpty();
        inserted(third);
        assertThat(reopen().claimUniqueKey(newTask("keys", TaskPriority.NORMAL, now(), null, "nightly")))
                .as("held across a restart")
                .map(TaskInfo::id)
                .contains(third.id());
    }

    @Test
    void concurrentTasksWithOneKeyNeverBothBecomeUnfinished() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 10; round++) {
                String key = "once-" + round;
                CyclicBarrier go = new CyclicBarrier(8);
                List<Future<UUID>> submits = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    submits.add(threads.submit(() -> {
                        LiveTask task = newTask("keys", TaskPriority.NORMAL, now(), null, key);
                        go.await(10, TimeUnit.SECONDS);
                        Optional<TaskInfo> holder = store.claimUniqueKey(task);
                        if (holder.isPresent()) {
                            return null;
                        }
                        try {
                            TaskStore.await(store.insert(List.of(task)));
                            return task.id();
                        } catch (UniqueKeyTakenException takenMeanwhile) {
                            return null;
                        }
                    }));
                }
                List<UUID> created = new ArrayList<>();
                for (Future<UUID> submit : submits) {
                    UUID id = submit.get(10, TimeUnit.SECONDS);
                    if (id != null) {
                        created.add(id);
                    }
                }
                assertThat(created).as("round %d", round).hasSize(1);
            }
            assertThat(store.list(new TaskFilter("keys", TaskStatus.PENDING, null, 50, 0))
                            .total())
                    .isEqualTo(10);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aFailedTaskIsNotRetriedWhileAnotherHoldsItsKey() {
        LiveTask failed = inserted(newTask("keys", TaskPriority.NORMAL, now(), null, "report"));
        store.apply(running(failed, now()), new TaskChange.Fail("boom", now(), null));
        LiveTask holder = newTask("keys", TaskPriority.NORMAL, now(), null, "report");
        assertThat(store.claimUniqueKey(holder)).isEmpty();
        inserted(holder);

        assertThatExceptionOfType(TaskStateException.class)
                .isThrownBy(() -> store.retry(failed.id()))
                .withMessageContaining("'report'")
                .withMessageContaining(holder.id().toString());
        assertThat(store.retryFailed(null, List.of(stored(failed.id()).name())).tasks())
                .isEmpty();
        assertThat(stored(failed.id()).status()).isEqualTo(TaskStatus.FAILED);
    }

    // ---- recurring tasks ----

    @Test
    void aFireTimeIsStoredOnceAndOnlyWhenLaterThanTheLastOne() {
        Instant fire = now().truncatedTo(ChronoUnit.SECONDS);
        assertThat(store.insertScheduled(scheduled(fire), "nightly", fire)).isTrue();
        assertThat(store.insertScheduled(scheduled(fire), "nightly", fire))
                .as("the same fire time")
                .isFalse();
        assertThat(store.insertScheduled(scheduled(fire), "nightly", fire.minusSeconds(1)))
                .as("an earlier one")
                .isFalse();
        assertThat(reopen().insertScheduled(scheduled(fire), "nightly", fire))
                .as("after a restart")
                .isFalse();
        assertThat(store.insertScheduled(scheduled(fire), "nightly", fire.plusSeconds(1)))
                .isTrue();

        assertThat(store.scheduleStates())
                .containsEntry("nightly", new TaskStore.ScheduleState(false, fire.plusSeconds(1)));
        assertThat(store.list(new TaskFilter("scheduled", null, null, 50, 0)).total())
                .isEqualTo(2);
    }

    @Test
    void concurrentFiresOfOneFireTimeStoreOneRun() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try {
            Instant fire = now().truncatedTo(ChronoUnit.SECONDS);
            CyclicBarrier go = new CyclicBarrier(6);
            List<Future<Boolean>> fires = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                fires.add(threads.submit(() -> {
                    LiveTask run = scheduled(fire);
                    go.await(10, TimeUnit.SECONDS);
                    return store.insertScheduled(run, "hourly", fire);
                }));
            }
            int stored = 0;
            for (Future<Boolean> one : fires) {
                stored += one.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(stored).isEqualTo(1);
            assertThat(store.list(new TaskFilter("scheduled", null, null, 50, 0))
                            .total())
                    .isEqualTo(1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aPausedScheduleStaysPausedAcrossARestartAndAResumeSkipsTheFireTimesMissed() {
        Instant fire = now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        store.insertScheduled(scheduled(fire), "weekly", fire);

        store.pauseSchedule("weekly");
        assertThat(reopen().scheduleStates().get("weekly").paused()).isTrue();

        Instant resumed = now();
        store.resumeSchedule("weekly", resumed);
        assertThat(store.scheduleStates()).containsEntry("weekly", new TaskStore.ScheduleState(false, resumed));
        assertThat(store.insertScheduled(scheduled(fire), "weekly", fire.plusSeconds(30)))
                .as("missed while paused")
                .isFalse();
    }

    private LiveTask scheduled(Instant fire) {
        return LiveTask.submitted(
                UUID.randomUUID(),
                "recurring",
                "scheduled",
                TaskPriority.NORMAL,
                0,
                "[]",
                "{}",
                now(),
                fire,
                List.of(),
                null,
                null);
    }

    // ---- reading ----

    @Test
    void aListingIsNewestFirstWithFiltersAndPagesAndTheCountsCoverEveryTask() {
        Instant base = now().minusSeconds(100);
        List<LiveTask> alpha = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            alpha.add(inserted(newTask("alpha", TaskPriority.NORMAL, base.plusSeconds(i), null, null)));
        }
        LiveTask beta = inserted(newTask("beta", TaskPriority.NORMAL, base.plusSeconds(10), null, null));
        store.apply(running(beta, now()), new TaskChange.Fail("boom", now(), null));

        TaskPage all = store.list(TaskFilter.all());
        assertThat(all.total()).isEqualTo(6);
        assertThat(all.tasks())
                .extracting(TaskInfo::id)
                .containsExactly(
                        beta.id(),
                        alpha.get(4).id(),
                        alpha.get(3).id(),
                        alpha.get(2).id(),
                        alpha.get(1).id(),
                        alpha.get(0).id());
        TaskPage page = store.list(new TaskFilter("alpha", null, null, 2, 2));
        assertThat(page.total()).isEqualTo(5);
        assertThat(page.tasks())
                .extracting(TaskInfo::id)
                .containsExactly(alpha.get(2).id(), alpha.get(1).id());
        assertThat(store.list(new TaskFilter(null, TaskStatus.FAILED, null, 50, 0))
                        .tasks())
                .extracting(TaskInfo::id)
                .containsExactly(beta.id());
        String name = alpha.get(0).name();
        assertThat(store.list(new TaskFilter("alpha", TaskStatus.PENDING, name, 50, 0))
                        .tasks())
                .allSatisfy(task -> assertThat(task.name()).isEqualTo(name))
                .isNotEmpty();

        TaskStore.TaskCounts counts = store.counts();
        assertThat(counts.total()).isEqualTo(6);
        assertThat(counts.byStatus())
                .containsEntry(TaskStatus.PENDING, 5L)
                .containsEntry(TaskStatus.FAILED, 1L)
                .containsEntry(TaskStatus.SUCCESS, 0L)
                .hasSize(TaskStatus.values().length);
        assertThat(counts.byCategory()).isEqualTo(Map.of("alpha", 5L, "beta", 1L));
    }

    @Test
    void aRunningTaskIsReadWithItsLiveProgress() {
        LiveTask task = inserted(newTask("live"));
        LiveTask taken = running(task, now());
        store.apply(taken, new TaskChange.Progress(70, "nearly"));

        assertThat(stored(task.id()))
                .extracting(TaskInfo::status, TaskInfo::progress)
                .containsExactly(TaskStatus.STARTED, 70);
        assertThat(store.list(new TaskFilter("live", null, null, 50, 0)).tasks())
                .singleElement()
                .extracting(TaskInfo::progress)
                .isEqualTo(70);
    }

    @Test
    void analyticsEqualTheFiguresComputedFromTheTasks() {
        Instant now = now();
        Random random = new Random(42);
        List<ExpectedAnalytics.Row> rows = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            order.add(i);
        }
        // the tasks left waiting go in last, so that a shared store's instance claims each of the others as it goes
        order.sort(java.util.Comparator.comparing((Integer i) -> i % 97 == 0));
        for (int i : order) {
            Instant created = now.minus(Duration.ofMillis((long) (random.nextDouble() * 48 * 3_600_000)));
            Instant runAt = i % 5 == 0 ? created.plusSeconds(1) : null;
            String category = "stats_" + i % 2;
            LiveTask task = LiveTask.submitted(
                    UUID.randomUUID(),
                    "job_" + i % 3,
                    category,
                    TaskPriority.NORMAL,
                    0,
                    "[]",
                    "{}",
                    created,
                    runAt,
                    List.of(),
                    null,
                    null);
            inserted(task);
            Instant due = runAt != null ? runAt : created;
            Instant started = due.plusMillis(random.nextInt(30_000));
            Instant completed = started.plusMillis(random.nextInt(120_000));
            TaskStatus status;
            if (i % 97 == 0) {
                status = TaskStatus.PENDING;
                started = null;
            } else if (i % 13 == 0) {
                status = TaskStatus.FAILED;
                store.apply(running(task, started), new TaskChange.Fail("boom", completed, null));
            } else if (i % 17 == 0) {
                status = TaskStatus.CANCELLED;
                store.cancel(task.id(), completed);
                started = null;
            } else if (i % 19 == 0) {
                status = TaskStatus.FAILED;
                store.apply(
                        take(store, task.id(), category, started), new TaskChange.Reject("no such task", completed));
                started = null;
            } else {
                status = TaskStatus.SUCCESS;
                store.apply(running(task, started), new TaskChange.Succeed(null, completed));
            }
            rows.add(new ExpectedAnalytics.Row(
                    task.id().toString(),
                    task.name(),
                    category,
                    status,
                    ExpectedAnalytics.micros(created),
                    started == null ? null : ExpectedAnalytics.micros(started),
                    status == TaskStatus.PENDING ? null : ExpectedAnalytics.micros(completed),
                    runAt == null ? null : ExpectedAnalytics.micros(runAt)));
        }
        Duration since = Duration.ofHours(36);
        for (TaskAnalytics.GroupBy groupBy : TaskAnalytics.GroupBy.values()) {
            ExpectedAnalytics.assertMatches(store.analytics(since, now, groupBy), rows, now, since, groupBy);
        }
    }
}
