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
    UUID submit(TaskRequest request);

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
     * Cancels a PENDING or RETRY task; once this returns it will not run.
     *
     * @throws TaskNotFoundException if there is no such task
     * @throws TaskStateException if the task is running or has ended
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

    /** Counts by status and category over all stored tasks, and the live queues. */
    TaskStats stats();

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

    /** Whether this queue runs tasks ({@code false} when the task system is switched off). */
    boolean isEnabled();
}
