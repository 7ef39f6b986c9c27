package io.gobstopper.tasks;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The task system's one entry point: submit, inspect, cancel, retry and clean up tasks, and size the worker
 * pools. Every method is thread-safe.
 */
public interface TaskQueue {

    /**
     * Submits the named task with positional arguments and returns its id once the task is stored.
     *
     * @throws UnknownTaskException if no task has that name
     * @throws InvalidTaskArgumentsException if the arguments do not fit the method's parameters
     */
    default UUID submit(String name, Object... args) {
        return submit(TaskRequest.of(name, args));
    }

    /**
     * Submits a task and returns its id once the task is stored: a crash after this returns does not lose it.
     *
     * @throws UnknownTaskException if no task has that name
     * @throws InvalidTaskArgumentsException if the arguments or overrides are invalid
     * @throws TaskQueueUnavailableException if the task system is disabled, stopping, or its store fails
     */
    default UUID submit(TaskRequest request) {
        return offer(request).id();
    }

    /**
     * Submits a task and says whether it was created: a request with a unique key that an unfinished task holds
     * creates nothing and answers that task. Returns once the task is stored.
     *
     * @throws UnknownTaskException if no task has that name
     * @throws InvalidTaskArgumentsException if the arguments or options are invalid, or a parent task is unknown
     * @throws QueueFullException if the category holds its queue capacity of unfinished tasks
     * @throws TaskQueueUnavailableException if the task system is disabled, stopping, or its store fails
     */
    Submission offer(TaskRequest request);

    /**
     * Submits several tasks atomically: all are stored in one transaction, or none is. A request may depend on
     * tasks submitted before, not on others of the same batch (use {@link #chain} for that).
     *
     * @return the ids, in the order of the requests (an existing task's id for a request whose unique key is held)
     * @throws BatchItemException naming the first request that was refused; nothing was stored
     */
    List<UUID> submitAll(List<TaskRequest> requests);

    /**
     * Starts a chain: each task added with {@link TaskChain#then} runs only after the one before it succeeded, and
     * is cancelled when it fails or is cancelled. The chain is submitted atomically by {@link TaskChain#submit()}.
     */
    default TaskChain chain(TaskRequest first) {
        return new TaskChain(this, first);
    }

    /**
     * Submits requests atomically, each depending on the one before it (besides its own {@code dependsOn}).
     *
     * @return the ids, in order
     * @throws BatchItemException naming the first request that was refused; nothing was stored
     */
    List<UUID> submitChain(List<TaskRequest> requests);

    /**
     * Submits a task without waiting: the request is checked at once (and throws like {@link #submit}), and the
     * future completes with the id when the task is stored. Many concurrent submits share one commit. The future
     * completes on the task system's completion thread: chain slow work with an {@code ...Async} method.
     */
    CompletableFuture<UUID> submitAsync(TaskRequest request);

    /** The task with this id, showing live progress while it runs. */
    Optional<TaskInfo> get(UUID id);

    /** One page of tasks, newest first. */
    TaskPage list(TaskFilter filter);

    /**
     * Cancels a task. A PENDING or RETRY task will not run once this returns. A STARTED task is asked to stop: its
     * thread is interrupted and {@link TaskContext#isCancelled()} turns true; it ends CANCELLED when its method
     * returns or throws, and the answer has {@link TaskInfo#cancelRequested()} set while it still runs.
     *
     * @throws TaskNotFoundException if there is no such task
     * @throws TaskStateException if the task has ended
     */
    TaskInfo cancel(UUID id);

    /**
     * Runs a FAILED or CANCELLED task again: status, error, timing, progress and retry count are reset.
     *
     * @throws TaskNotFoundException if there is no such task
     * @throws TaskStateException if the task is not FAILED or CANCELLED
     */
    TaskInfo retry(UUID id);

    /** Retries every FAILED task, or those of one category when {@code category} is not {@code null}. */
    BulkRetryResult retryFailed(String category);

    /**
     * Deletes an ended task.
     *
     * @throws TaskNotFoundException if there is no such task
     * @throws TaskStateException if the task is PENDING, STARTED or RETRY
     */
    void delete(UUID id);

    /** Deletes ended tasks that ended more than {@code olderThan} ago; returns how many. */
    int cleanup(Duration olderThan);

    /**
     * Analytics over the tasks created in the last {@code since}: per group counts by status, error rate, execution
     * and wait percentiles; per minute the tasks that succeeded and failed. Computed by the store's database.
     *
     * @param since the window, more than zero and at most {@link TaskAnalytics#MAX_SINCE}
     * @param includeArchive whether archived tasks count too
     * @throws IllegalArgumentException if {@code since} is out of range
     */
    TaskAnalytics analytics(Duration since, TaskAnalytics.GroupBy groupBy, boolean includeArchive);

    /**
     * Moves ended tasks that ended more than {@code olderThan} ago to Parquet files in the archive folder, and
     * deletes them from the store.
     *
     * @throws UnsupportedStoreOperationException if the store does not archive (PostgreSQL)
     */
    ArchiveResult archive(Duration olderThan);

    /**
     * Writes the tasks a listing filter selects (its page is ignored), newest first, to {@code out}.
     *
     * @throws UnsupportedStoreOperationException if the store cannot export in that format
     */
    void export(TaskFilter filter, ExportFormat format, java.io.OutputStream out) throws java.io.IOException;

    /** Counts by status and category over all stored tasks, and the live queues. */
    TaskStats stats();

    /**
     * The stored tasks that wait under a name no task of this application is registered under, by name, sorted:
     * they stay PENDING and run once an instance that knows the name takes them. Read from memory (on a store
     * shared by several instances, as the latest look at the store found them, every poll interval).
     */
    List<UnrunnableTasks> unrunnable();

    /**
     * Ends the tasks that wait (PENDING or RETRY) under a name no task of this application is registered under:
     * each becomes FAILED, without a run, with the reason in its error. Tasks an instance runs meanwhile are left to
     * it.
     *
     * @return how many tasks were failed (0 when none waits under the name)
     * @throws IllegalArgumentException if the name is invalid, or a task of this application is registered under it
     *     (as its name or an alias), so its tasks run here
     */
    int failUnrunnable(String name);

    /**
     * Deletes the tasks that wait (PENDING or RETRY) under a name no task of this application is registered under,
     * as {@link #failUnrunnable} fails them.
     *
     * @return how many tasks were deleted
     * @throws IllegalArgumentException as {@link #failUnrunnable}
     */
    int deleteUnrunnable(String name);

    /** The N most recently failed tasks, newest first. */
    List<TaskInfo> recentFailures(int limit);

    /**
     * Sizes a category's worker pool while it runs; 0 pauses the category.
     *
     * @return the new size
     * @throws IllegalArgumentException if {@code workers} is outside 0-256 or the category name is invalid
     */
    int resizeWorkers(String category, int workers);

    /** Each category's queue as it is now, read from memory (no store access): cheap enough for gauges. */
    java.util.Map<String, TaskStats.QueueStats> queues();

    /** Checks the store and the workers. */
    QueueHealth health();

    /** The registered tasks, sorted by name. */
    List<TaskDescriptor> registeredTasks();

    /** The registered task with this name. */
    Optional<TaskDescriptor> describe(String name);

    /** The recurring tasks' schedules, sorted by name. */
    List<ScheduleInfo> schedules();

    /**
     * Pauses a schedule: it fires no more until resumed, also after a restart.
     *
     * @throws UnknownScheduleException if no recurring task has that name
     */
    ScheduleInfo pauseSchedule(String name);

    /**
     * Resumes a paused schedule from its next fire time after now (fire times missed while paused do not run).
     *
     * @throws UnknownScheduleException if no recurring task has that name
     */
    ScheduleInfo resumeSchedule(String name);

    /**
     * Submits a recurring task's run now, outside its schedule (paused or not).
     *
     * @return the new task's id
     * @throws UnknownScheduleException if no recurring task has that name
     */
    UUID triggerSchedule(String name);

    /**
     * The instances working on this queue's store, this one first: one on a store of its own, every live instance
     * on a shared store.
     */
    List<NodeInfo> nodes();

    /** Whether this queue runs tasks ({@code false} when the task system is switched off). */
    boolean isEnabled();
}
