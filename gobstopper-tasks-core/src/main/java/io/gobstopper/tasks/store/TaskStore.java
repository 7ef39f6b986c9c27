package io.gobstopper.tasks.store;

import io.gobstopper.tasks.TaskAnalytics;
import io.gobstopper.tasks.TaskException;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskPage;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.TaskStoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Where tasks live, and the judge of every state change: each {@link TaskChange} applies or does not, so races such
 * as cancel-versus-start have exactly one winner. This is what every store does; a store that several instances share
 * is a {@link SharedTaskStore}, and a store may have the capabilities {@link TaskArchive} and {@link TaskExport}. A
 * store is held to the contract suites in the core's test jar ({@code TaskStoreContract} and the engine's contracts).
 */
public interface TaskStore extends AutoCloseable {

    /** A short name of the kind of store, e.g. {@code duckdb}. */
    String kind();

    /** Where the store keeps its data, for humans (a file path, a URL). */
    String location();

    /**
     * Opens the store (creating and upgrading its schema) and recovers unfinished tasks: tasks left STARTED by a
     * process that died become PENDING again with the cut-off attempt counted.
     *
     * @param committed told of each batch of newly inserted tasks once it is committed, before their submitters
     *     are released, on the store's writer thread or, for a store without one, the inserting thread: keep it quick
     *     (queue them, don't run them)
     * @return every PENDING and RETRY task, oldest first, for the engine to queue; none for a
     *     {@link SharedTaskStore}, whose instances claim the tasks they run
     */
    List<LiveTask> open(Instant now, Consumer<List<LiveTask>> committed);

    /** Opens the store for tools and tests that only read and write rows. */
    default List<LiveTask> open(Instant now) {
        return open(now, tasks -> {});
    }

    /** Stores new tasks; the future completes once they are durable (and handed to {@code committed}). */
    default CompletableFuture<Void> insert(List<LiveTask> tasks) {
        return insert(tasks, false);
    }

    /**
     * Stores new tasks; the future completes once they are durable (and handed to {@code committed}). A unique key
     * another unfinished task took after {@link #claimUniqueKey} answered fails the insert, whole, with
     * {@link UniqueKeyTakenException} (the engine then submits again).
     *
     * @param atomic whether all must be stored or none (a batch), even across a crash
     */
    CompletableFuture<Void> insert(List<LiveTask> tasks, boolean atomic);

    /**
     * Claims a new task's unique key before it is inserted, atomically: two tasks with one key cannot both claim it.
     * The key stays held while the task is unfinished (and is given up if its insert fails).
     *
     * @return the unfinished task that holds the key already, or empty when this task now holds it (or has no key)
     */
    Optional<TaskInfo> claimUniqueKey(LiveTask task);

    /** Gives up a claimed key of a task that will not be inserted after all. */
    void releaseUniqueKey(LiveTask task);

    /**
     * The task as the store holds it in memory, or {@code null}: unfinished tasks (a shared store: those this instance
     * claimed), and possibly tasks that ended (the engine then finds them ended).
     */
    LiveTask tracked(UUID id);

    /**
     * Applies a change to a task this store holds ({@link #tracked}, a task just inserted, or one its instance claimed)
     * and stores it; outcomes and the ends they bring are then durable as the store's write delay allows. On a store
     * that has closed, a change may apply to the task and not be stored, as a write cut off by a crash: the next open
     * recovers the task.
     *
     * @return whether it applied; {@code false} if the task's status does not allow it (it was cancelled, say), or, in
     *     a store shared by several instances, when the task is no longer this instance's or a cancel requested
     *     elsewhere turns an outcome away (the task is then {@linkplain LiveTask#cancelRequested() to be stopped})
     */
    boolean apply(LiveTask task, TaskChange change);

    /**
     * Applies a change as {@link #apply} does, answering once it is stored: a store that writes the changes of many
     * tasks in one transaction answers after that commit, and the engine tells listeners, releases dependants and
     * frees the task's room only then; the worker meanwhile goes on to its next task. The answer may come on a thread
     * of the store's: keep what is chained on it quick. By default the change is applied at once, as {@link #apply}.
     *
     * @return completes with what {@link #apply} would answer, or exceptionally when the change could not be stored
     */
    default CompletionStage<Boolean> applyAsync(LiveTask task, TaskChange change) {
        try {
            return CompletableFuture.completedFuture(apply(task, change));
        } catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }

    /**
     * Cancels a PENDING or RETRY task, durably; for a STARTED task records the request (see
     * {@link LiveTask#cancelRequested()}) and answers it still STARTED.
     *
     * @throws io.gobstopper.tasks.TaskNotFoundException if there is no such task
     * @throws io.gobstopper.tasks.TaskStateException if it has ended
     */
    TaskInfo cancel(UUID id, Instant now);

    /**
     * Puts a FAILED or CANCELLED task back to PENDING, durably, with a fresh retry count.
     *
     * @return the task to queue
     * @throws io.gobstopper.tasks.TaskNotFoundException if there is no such task
     * @throws io.gobstopper.tasks.TaskStateException if it is not FAILED or CANCELLED
     */
    LiveTask retry(UUID id);

    /**
     * Puts every FAILED task (of one category, when not {@code null}) whose name is in {@code runnableNames}
     * back to PENDING, durably.
     */
    RetriedTasks retryFailed(String category, Collection<String> runnableNames);

    /**
     * Deletes an ended task.
     *
     * @throws io.gobstopper.tasks.TaskNotFoundException if there is no such task
     * @throws io.gobstopper.tasks.TaskStateException if it has not ended
     */
    void delete(UUID id);

    /** Deletes ended tasks that completed before the cut-off; returns how many. */
    int deleteCompletedBefore(Instant cutoff);

    /** The task, with its live state while it is unfinished. */
    Optional<TaskInfo> find(UUID id);

    /** One page, newest first. */
    TaskPage list(TaskFilter filter);

    /** Counts over every stored task. */
    TaskCounts counts();

    /** The most recently failed tasks, newest first. */
    List<TaskInfo> recentFailures(int limit);

    /** Analytics over the tasks created at or after {@code now - since}, computed by the store. */
    TaskAnalytics analytics(Duration since, Instant now, TaskAnalytics.GroupBy groupBy);

    /** The stored state of every recurring task's schedule, by task name. */
    Map<String, ScheduleState> scheduleStates();

    /** Stores that a schedule is paused. */
    void pauseSchedule(String name);

    /** Stores that a schedule runs again, with no fire time up to {@code now} left to run. */
    void resumeSchedule(String name, Instant now);

    /**
     * Stores the run of a recurring task for one fire time, once: the fire time is recorded with the task in one
     * transaction, and only if no run for this or a later fire time was recorded before (by this process, an
     * earlier one, or another instance), and, in a store shared by several instances, only while the schedule is not
     * paused (by any of them).
     *
     * @return whether the task was stored; {@code false} if this fire time already had its run, or the schedule is
     *     paused in a shared store
     */
    boolean insertScheduled(LiveTask task, String name, Instant fireTime);

    /** Throws if the store cannot answer a query now. */
    void check();

    /**
     * Waits for a store operation and rethrows its failure: a {@link TaskException} as it is, anything else as a
     * {@link TaskStoreException}.
     */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException ex) {
            if (ex.getCause() instanceof TaskException expected) {
                throw expected;
            }
            throw new TaskStoreException("The task store failed: " + ex.getCause(), ex.getCause());
        }
    }

    /** Writes everything pending and releases the store. */
    @Override
    void close();

    /**
     * Tasks put back to PENDING by a bulk retry.
     *
     * @param tasks the tasks to queue
     * @param totalFailed how many FAILED tasks matched, retried or not
     */
    record RetriedTasks(List<LiveTask> tasks, int totalFailed) {}

    /**
     * Counts over every stored task.
     *
     * @param total all tasks
     * @param byStatus per status, every status present
     * @param byCategory per category
     */
    record TaskCounts(long total, Map<TaskStatus, Long> byStatus, Map<String, Long> byCategory) {}

    /**
     * A schedule's stored state.
     *
     * @param paused whether it is paused
     * @param lastFireAt the fire time of the latest run stored, or {@code null}
     */
    record ScheduleState(boolean paused, Instant lastFireAt) {}
}
