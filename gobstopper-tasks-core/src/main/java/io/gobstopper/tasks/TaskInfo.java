package io.gobstopper.tasks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A snapshot of one task. {@code args}, {@code kwargs} and {@code result} are JSON text; times are UTC.
 *
 * @param id the task's id
 * @param name the registered task name
 * @param category the category whose workers run it
 * @param priority its priority
 * @param status where it is in its life cycle
 * @param createdAt when it was submitted
 * @param startedAt when its latest run started, or {@code null}
 * @param completedAt when it ended, or {@code null}
 * @param runAt when the task is (or was) due: set while it waits for a delayed start or in RETRY, kept when that
 *     run starts; or {@code null}
 * @param result the return value as JSON, or {@code null}
 * @param error the last failure ({@code ExceptionType: message}), or {@code null}
 * @param retryCount how many runs have been retried so far
 * @param maxRetries how many retries it may use
 * @param args positional arguments as a JSON array
 * @param kwargs named arguments as a JSON object
 * @param progress 0 to 100
 * @param progressMessage the latest progress message, or {@code null}
 * @param dependsOn tasks that must succeed before this one starts
 * @param uniqueKey the key that keeps this task unique while it is unfinished, or {@code null}
 * @param timeout the longest a run may take, or {@code null} for no limit
 * @param cancelRequested whether a cancel was asked for while the task runs (it ends CANCELLED when it stops)
 * @param nodeId the instance that runs the task, or ran it last, on a store shared by several instances; or
 *     {@code null}
 */
public record TaskInfo(
        UUID id,
        String name,
        String category,
        TaskPriority priority,
        TaskStatus status,
        Instant createdAt,
        Instant startedAt,
        Instant completedAt,
        Instant runAt,
        String result,
        String error,
        int retryCount,
        int maxRetries,
        String args,
        String kwargs,
        int progress,
        String progressMessage,
        List<UUID> dependsOn,
        String uniqueKey,
        Duration timeout,
        boolean cancelRequested,
        String nodeId) {

    public TaskInfo {
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }

    /** A task of a store that one instance owns (no {@code nodeId}). */
    public TaskInfo(
            UUID id,
            String name,
            String category,
            TaskPriority priority,
            TaskStatus status,
            Instant createdAt,
            Instant startedAt,
            Instant completedAt,
            Instant runAt,
            String result,
            String error,
            int retryCount,
            int maxRetries,
            String args,
            String kwargs,
            int progress,
            String progressMessage,
            List<UUID> dependsOn,
            String uniqueKey,
            Duration timeout,
            boolean cancelRequested) {
        this(
                id,
                name,
                category,
                priority,
                status,
                createdAt,
                startedAt,
                completedAt,
                runAt,
                result,
                error,
                retryCount,
                maxRetries,
                args,
                kwargs,
                progress,
                progressMessage,
                dependsOn,
                uniqueKey,
                timeout,
                cancelRequested,
                null);
    }

    /** A task without dependencies, unique key or timeout. */
    public TaskInfo(
            UUID id,
            String name,
            String category,
            TaskPriority priority,
            TaskStatus status,
            Instant createdAt,
            Instant startedAt,
            Instant completedAt,
            Instant runAt,
            String result,
            String error,
            int retryCount,
            int maxRetries,
            String args,
            String kwargs,
            int progress,
            String progressMessage) {
        this(
                id,
                name,
                category,
                priority,
                status,
                createdAt,
                startedAt,
                completedAt,
                runAt,
                result,
                error,
                retryCount,
                maxRetries,
                args,
                kwargs,
                progress,
                progressMessage,
                List.of(),
                null,
                null,
                false,
                null);
    }

    /** Whether a worker is running the task now. */
    public boolean isRunning() {
        return status == TaskStatus.STARTED;
    }

    /** Whether the task has ended: SUCCESS, FAILED or CANCELLED. */
    public boolean isCompleted() {
        return status.isCompleted();
    }

    /**
     * Seconds the latest run took, or has taken so far while it runs; {@code null} before it starts.
     *
     * @param now the current time, for a running task
     */
    public Double elapsedSeconds(Instant now) {
        if (startedAt == null) {
            return null;
        }
        Instant end = completedAt != null ? completedAt : (status == TaskStatus.STARTED ? now : null);
        if (end == null) {
            return null;
        }
        return Duration.between(startedAt, end).toNanos() / 1e9;
    }
}
