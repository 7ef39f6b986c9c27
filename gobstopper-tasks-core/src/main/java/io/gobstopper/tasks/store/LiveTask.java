package io.gobstopper.tasks.store;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A task in play: its fixed fields and the state that the store decides on, as a state machine. A store applies each
 * {@link TaskChange} to the task under its monitor; a change applies only from the statuses it names, so two racing
 * changes have one winner. Everyone else reads the task through {@link #snapshot()}. Each change that applies raises
 * the task's {@link #version()}, so a store that writes behind can tell whether what it wrote is still the latest.
 */
public final class LiveTask {

    private final UUID id;
    private final String name;
    private final String category;
    private final TaskPriority priority;
    private final int maxRetries;
    private final String args;
    private final String kwargs;
    private final Instant createdAt;
    private final List<UUID> dependsOn;
    private final String uniqueKey;
    private final Duration timeout;
    private final String nodeId;

    private TaskStatus status;
    private Instant startedAt;
    private Instant completedAt;
    private Instant runAt;
    private String result;
    private String error;
    private int retryCount;
    private int progress;
    private String progressMessage;
    /** Someone asked to cancel the run in progress; not stored by a store of one instance (a crashed run runs again). */
    private boolean cancelRequested;

    private long version;

    /** Arguments bound at submit, handed to the first run so it need not bind them again. */
    private volatile Object[] preparedArguments;

    private LiveTask(TaskInfo info) {
        this.id = info.id();
        this.name = info.name();
        this.category = info.category();
        this.priority = info.priority();
        this.maxRetries = info.maxRetries();
        this.args = info.args();
        this.kwargs = info.kwargs();
        this.createdAt = info.createdAt();
        this.dependsOn = info.dependsOn();
        this.uniqueKey = info.uniqueKey();
        this.timeout = info.timeout();
        this.nodeId = info.nodeId();
        this.status = info.status();
        this.startedAt = info.startedAt();
        this.completedAt = info.completedAt();
        this.runAt = info.runAt();
        this.result = info.result();
        this.error = info.error();
        this.retryCount = info.retryCount();
        this.progress = info.progress();
        this.progressMessage = info.progressMessage();
        this.cancelRequested = info.cancelRequested();
    }

    /**
     * A task just submitted: PENDING, not yet stored.
     *
     * @param runAt when it may start, or {@code null} for at once
     * @param dependsOn tasks that must succeed first
     * @param uniqueKey the key that keeps it unique while unfinished, or {@code null}
     * @param timeout the longest a run may take, or {@code null}
     */
    public static LiveTask submitted(
            UUID id,
            String name,
            String category,
            TaskPriority priority,
            int maxRetries,
            String args,
            String kwargs,
            Instant createdAt,
            Instant runAt,
            List<UUID> dependsOn,
            String uniqueKey,
            Duration timeout) {
        return new LiveTask(new TaskInfo(
                id,
                name,
                category,
                priority,
                TaskStatus.PENDING,
                createdAt,
                null,
                null,
                runAt,
                null,
                null,
                0,
                maxRetries,
                args,
                kwargs,
                0,
                null,
                dependsOn,
                uniqueKey,
                timeout,
                false));
    }

    /** A task as a store holds it, e.g. read back from its table. */
    public static LiveTask of(TaskInfo stored) {
        return new LiveTask(stored);
    }

    /** A copy of this task's state, to try a change on without changing the task. */
    public synchronized LiveTask copy() {
        LiveTask copy = new LiveTask(snapshot());
        copy.version = version;
        return copy;
    }

    public UUID id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String category() {
        return category;
    }

    public TaskPriority priority() {
        return priority;
    }

    public String args() {
        return args;
    }

    public String kwargs() {
        return kwargs;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public synchronized TaskStatus status() {
        return status;
    }

    /** Retries used so far; the run about to start is attempt {@code retryCount() + 1}. */
    public synchronized int retryCount() {
        return retryCount;
    }

    public int maxRetries() {
        return maxRetries;
    }

    /** When a delayed or RETRY task is due, or {@code null}. */
    public synchronized Instant runAt() {
        return runAt;
    }

    /** Tasks that must succeed before this one starts. */
    public List<UUID> dependsOn() {
        return dependsOn;
    }

    /** The key that keeps this task unique while it is unfinished, or {@code null}. */
    public String uniqueKey() {
        return uniqueKey;
    }

    /** The longest a run may take, or {@code null}. */
    public Duration timeout() {
        return timeout;
    }

    /** Whether a cancel was asked for while the task runs. */
    public synchronized boolean cancelRequested() {
        return cancelRequested;
    }

    /** How many {@link TaskChange}s have applied to this task (a cancel request is none). */
    public synchronized long version() {
        return version;
    }

    /** The current state as an immutable record. */
    public synchronized TaskInfo snapshot() {
        return new TaskInfo(
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
                nodeId);
    }

    /** Hands over the arguments bound at submit, once; later runs bind them afresh. */
    public Object[] takePreparedArguments() {
        Object[] prepared = preparedArguments;
        preparedArguments = null;
        return prepared;
    }

    public void prepareArguments(Object[] arguments) {
        this.preparedArguments = arguments;
    }

    // ---- the state machine ----

    /**
     * Applies a change if the task's status allows it.
     *
     * @return whether it applied
     */
    public synchronized boolean apply(TaskChange change) {
        boolean applied;
        if (change instanceof TaskChange.Start start) {
            applied = start(start.at());
        } else if (change instanceof TaskChange.Progress progress) {
            applied = progress(progress.percent(), progress.message());
        } else if (change instanceof TaskChange.Succeed succeed) {
            applied = succeed(succeed.result(), succeed.at());
        } else if (change instanceof TaskChange.Fail fail) {
            applied = fail(fail.error(), fail.at(), fail.retryAt());
        } else if (change instanceof TaskChange.Reject reject) {
            applied = reject(reject.error(), reject.at());
        } else if (change instanceof TaskChange.Release) {
            applied = release();
        } else if (change instanceof TaskChange.Cancel cancel) {
            applied = cancel(cancel.reason(), cancel.at());
        } else if (change instanceof TaskChange.Stop stop) {
            applied = stop(stop.reason(), stop.at());
        } else {
            throw new IllegalArgumentException("Unknown task change " + change);
        }
        if (applied) {
            version++;
        }
        return applied;
    }

    /**
     * Asks the run in progress to stop: a later outcome ({@link TaskChange.Succeed}, {@link TaskChange.Fail}) no longer
     * applies, and the run is to end with {@link TaskChange.Stop}.
     *
     * @return the task as the request found it (STARTED, the request recorded), or {@code null} if it is not running
     */
    public synchronized TaskInfo requestCancel() {
        if (status != TaskStatus.STARTED) {
            return null;
        }
        cancelRequested = true;
        return snapshot();
    }

    private boolean waiting() {
        return status == TaskStatus.PENDING || status == TaskStatus.RETRY;
    }

    private boolean start(Instant now) {
        if (!waiting()) {
            return false;
        }
        status = TaskStatus.STARTED;
        startedAt = now;
        completedAt = null;
        progress = 0;
        progressMessage = null;
        cancelRequested = false;
        return true;
    }

    private boolean progress(int percent, String message) {
        if (status != TaskStatus.STARTED) {
            return false;
        }
        progress = percent;
        progressMessage = message;
        return true;
    }

    private boolean succeed(String resultJson, Instant now) {
        if (status != TaskStatus.STARTED || cancelRequested) {
            return false;
        }
        status = TaskStatus.SUCCESS;
        completedAt = now;
        result = resultJson;
        error = null;
        progress = 100;
        return true;
    }

    private boolean fail(String errorText, Instant now, Instant retryAt) {
        if (status != TaskStatus.STARTED || cancelRequested) {
            return false;
        }
        error = errorText;
        if (retryAt == null) {
            status = TaskStatus.FAILED;
            completedAt = now;
        } else {
            status = TaskStatus.RETRY;
            completedAt = null;
            runAt = retryAt;
            retryCount++;
        }
        return true;
    }

    private boolean reject(String errorText, Instant now) {
        if (!waiting()) {
            return false;
        }
        status = TaskStatus.FAILED;
        error = errorText;
        completedAt = now;
        runAt = null;
        return true;
    }

    private boolean cancel(String reason, Instant now) {
        if (!waiting()) {
            return false;
        }
        status = TaskStatus.CANCELLED;
        completedAt = now;
        runAt = null;
        if (reason != null) {
            error = reason;
        }
        return true;
    }

    private boolean stop(String reason, Instant now) {
        if (status != TaskStatus.STARTED) {
            return false;
        }
        status = TaskStatus.CANCELLED;
        completedAt = now;
        error = reason;
        cancelRequested = false;
        return true;
    }

    private boolean release() {
        if (status != TaskStatus.STARTED) {
            return false;
        }
        cancelRequested = false;
        status = TaskStatus.PENDING;
        startedAt = null;
        progress = 0;
        progressMessage = null;
        return true;
    }
}
