package io.gobstopper.tasks.store;

import io.gobstopper.tasks.ArchiveResult;
import io.gobstopper.tasks.ExportFormat;
import io.gobstopper.tasks.TaskAnalytics;
import io.gobstopper.tasks.TaskException;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskPage;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.TaskStoreException;
import io.gobstopper.tasks.UnsupportedStoreOperationException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Where tasks live, and the judge of every state change: each {@code mark*} call is a guarded transition that
 * either applies or does not, so races such as cancel-versus-start have exactly one winner. The only place SQL
 * lives.
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
     *     are released, on the store's writer thread: keep it quick (queue them, don't run them)
     * @return every PENDING and RETRY task, oldest first, for the engine to queue
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
     * Stores new tasks; the future completes once they are durable (and handed to {@code committed}).
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

    /** The task as held in memory while it is unfinished (or just ended), or {@code null}. */
    LiveTask tracked(UUID id);

    /** PENDING or RETRY to STARTED; {@code false} if the task may not start (it was cancelled, say). */
    boolean markStarted(LiveTask task, Instant now);

    /** Records progress of a STARTED task; written unhurried. */
    boolean markProgress(LiveTask task, int percent, String message);

    /** STARTED to SUCCESS with the result as JSON. */
    boolean markSucceeded(LiveTask task, String result, Instant now);

    /** STARTED to FAILED, or to RETRY due at {@code retryAt} when that is not {@code null}. */
    boolean markFailed(LiveTask task, String error, Instant now, Instant retryAt);

    /** PENDING or RETRY to FAILED without running, for a task that cannot run. */
    boolean markRejected(LiveTask task, String error, Instant now);

    /** STARTED back to PENDING, for a run cut off by shutdown; it runs again at the next start. */
    boolean markReleased(LiveTask task);

    /** PENDING or RETRY to CANCELLED with the reason in {@code error}, e.g. because a parent failed. */
    boolean markCancelled(LiveTask task, String reason, Instant now);

    /** STARTED to CANCELLED, for a run that stopped after a cancel request. */
    boolean markStopped(LiveTask task, String reason, Instant now);

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

    /**
     * Analytics over the tasks created at or after {@code now - since}, computed by the database.
     *
     * @param includeArchive whether archived tasks count too (stores that archive only)
     */
    TaskAnalytics analytics(Duration since, Instant now, TaskAnalytics.GroupBy groupBy, boolean includeArchive);

    /**
     * Moves ended tasks that completed before the cut-off to the archive (Parquet files) and deletes them from the
     * live table; every task ends up in exactly one of the two, even across a crash.
     *
     * @throws UnsupportedStoreOperationException if the store does not archive
     */
    default ArchiveResult archiveCompletedBefore(Instant cutoff) {
        throw new UnsupportedStoreOperationException("Archiving is DuckDB-only in this release; the " + kind()
                + " store cannot archive. Use POST .../cleanup to delete old tasks instead.");
    }

    /**
     * Writes the tasks a listing filter selects (ignoring its page) to {@code out} in a file format.
     *
     * @throws UnsupportedStoreOperationException if the store cannot export in that format
     */
    default void export(TaskFilter filter, ExportFormat format, OutputStream out) throws IOException {
        throw new UnsupportedStoreOperationException("Exporting is DuckDB-only in this release; the " + kind()
                + " store cannot export " + format.extension() + ".");
    }

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

    // ---- stores shared by several instances ----

    /**
     * Whether several instances share this store. Then {@link #open} returns no tasks to queue and the store tells
     * nobody of inserts to queue them: each instance claims due tasks with {@link #claim}, and hears through the
     * {@link SharedStoreSignals} when to look.
     */
    default boolean shared() {
        return false;
    }

    /** How often a shared store's instances look for work besides being told of it, and sweep. */
    default Duration pollInterval() {
        return Duration.ofSeconds(1);
    }

    /** Connects a shared store to the engine that uses it; called before {@link #open}. */
    default void attach(SharedStoreSignals signals) {}

    /**
     * Claims up to {@code max} due tasks of a category for this instance, highest priority first and oldest first
     * within a priority: ready PENDING and RETRY tasks whose parents have all succeeded. The claim is one guarded
     * statement, so no two instances claim one task. The tasks come back waiting for {@link #markStarted}; a lease
     * that this store renews while they run keeps them this instance's.
     */
    default List<LiveTask> claim(String category, int max, Instant now) {
        throw new UnsupportedOperationException(kind() + " stores are not shared; nothing to claim");
    }

    /**
     * Housekeeping of a shared store, run by every instance every poll interval: takes back the tasks of instances
     * whose lease expired, and cancels the tasks that wait for a parent that failed or was cancelled.
     */
    default void sweep(Instant now) {}

    /**
     * Shared store: per category, the tasks that wait for a worker (ready: due, their parents succeeded), and when the
     * one that has waited longest became due; categories without such a task are left out.
     */
    default Map<String, Waiting> waiting(Instant now) {
        return Map.of();
    }

    /** The instances working on the store, this one first; empty for a store one instance owns. */
    default List<io.gobstopper.tasks.NodeInfo> nodes() {
        return List.of();
    }

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
     * The tasks of a category that wait for a worker.
     *
     * @param count how many
     * @param oldestDue when the one that has waited longest became due
     */
    record Waiting(long count, Instant oldestDue) {}

    /**
     * A schedule's stored state.
     *
     * @param paused whether it is paused
     * @param lastFireAt the fire time of the latest run stored, or {@code null}
     */
    record ScheduleState(boolean paused, Instant lastFireAt) {}
}
