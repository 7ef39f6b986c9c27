package io.gobstopper.tasks.store;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An unfinished task held in memory by its store: the authoritative state the store decides transitions on,
 * plus what is still to be written. Only the store changes it, always under this object's monitor; everyone
 * else reads it through {@link #snapshot()}.
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
    /** Someone asked to cancel the run in progress; not stored: a run cut off by a crash runs again. */
    private boolean cancelRequested;

    /** The status the store holds, as of the last committed write; {@code null} until the row is inserted. */
    private TaskStatus storedStatus;
    /** Whether state changed since the last write was taken. */
    private boolean dirty;
    /** Set once the store no longer tracks the task: its final state is written. */
    private boolean detached;
    /** Whether the task waits in the writer's queue of changed tasks. */
    private boolean queuedForWrite;

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

    /** A copy of this task's state, to try a transition on without changing the task. */
    synchronized LiveTask copy() {
        LiveTask copy = new LiveTask(snapshot());
        copy.storedStatus = storedStatus;
        copy.cancelRequested = cancelRequested;
        return copy;
    }

    /** A task read back from the store, which holds it with the same status. */
    static LiveTask stored(TaskInfo row) {
        LiveTask task = new LiveTask(row);
        task.storedStatus = row.status();
        return task;
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

    // ---- transitions, decided by the store: each returns whether it applied ----

    synchronized boolean isDetached() {
        return detached;
    }

    synchronized TaskStatus storedStatus() {
        return storedStatus;
    }

    synchronized boolean start(Instant now) {
        if (detached || (status != TaskStatus.PENDING && status != TaskStatus.RETRY)) {
            return false;
        }
        status = TaskStatus.STARTED;
        startedAt = now;
        completedAt = null;
        progress = 0;
        progressMessage = null;
        cancelRequested = false;
        dirty = true;
        return true;
    }

    synchronized boolean progress(int percent, String message) {
        if (status != TaskStatus.STARTED) {
            return false;
        }
        progress = percent;
        progressMessage = message;
        dirty = true;
        return true;
    }

    /** STARTED to SUCCESS, unless a cancel was requested meanwhile (the run then ends CANCELLED). */
    synchronized boolean succeed(String resultJson, Instant now) {
        if (status != TaskStatus.STARTED || cancelRequested) {
            return false;
        }
        status = TaskStatus.SUCCESS;
        completedAt = now;
        result = resultJson;
        error = null;
        progress = 100;
        dirty = true;
        return true;
    }

    /** STARTED to FAILED or RETRY, unless a cancel was requested meanwhile (the run then ends CANCELLED). */
    synchronized boolean fail(String errorText, Instant now, Instant retryAt) {
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
        dirty = true;
        return true;
    }

    /** A task that cannot run (its name is not registered) fails without starting. */
    synchronized boolean reject(String errorText, Instant now) {
        if (detached || (status != TaskStatus.PENDING && status != TaskStatus.RETRY)) {
            return false;
        }
        status = TaskStatus.FAILED;
        error = errorText;
        completedAt = now;
        runAt = null;
        dirty = true;
        return true;
    }

    /**
     * A waiting task ends CANCELLED.
     *
     * @param reason why, kept in {@code error}; or {@code null} when a user cancelled it
     */
    synchronized boolean cancel(Instant now, String reason) {
        if (detached || (status != TaskStatus.PENDING && status != TaskStatus.RETRY)) {
            return false;
        }
        status = TaskStatus.CANCELLED;
        completedAt = now;
        runAt = null;
        if (reason != null) {
            error = reason;
        }
        dirty = true;
        return true;
    }

    /** Asks the run in progress to stop; {@code false} if the task is not running. */
    synchronized boolean requestCancel() {
        if (status != TaskStatus.STARTED) {
            return false;
        }
        cancelRequested = true;
        return true;
    }

    /** A run stopped after a cancel request: STARTED to CANCELLED. */
    synchronized boolean stopCancelled(String reason, Instant now) {
        if (status != TaskStatus.STARTED) {
            return false;
        }
        status = TaskStatus.CANCELLED;
        completedAt = now;
        error = reason;
        cancelRequested = false;
        dirty = true;
        return true;
    }

    synchronized boolean release() {
        if (status != TaskStatus.STARTED) {
            return false;
        }
        cancelRequested = false;
        status = TaskStatus.PENDING;
        startedAt = null;
        progress = 0;
        progressMessage = null;
        dirty = true;
        return true;
    }

    // ---- writing: called by the writer thread ----

    /**
     * Takes the state to write and clears the dirty mark.
     *
     * @param insert whether the row is to be inserted (taken even when clean)
     * @return the write, or {@code null} if there is nothing to write yet
     */
    synchronized TaskWrite takeWrite(boolean insert) {
        queuedForWrite = false;
        if (insert) {
            dirty = false;
            return new TaskWrite(snapshot(), null);
        }
        if (!dirty || storedStatus == null) {
            return null;
        }
        dirty = false;
        return new TaskWrite(snapshot(), storedStatus);
    }

    /**
     * Records that a write was committed.
     *
     * @return whether the task is now detached: its final state is stored and nothing is pending
     */
    synchronized boolean written(TaskWrite write) {
        storedStatus = write.task().status();
        if (!dirty && status.isCompleted() && storedStatus == status) {
            detached = true;
        }
        return detached;
    }

    /** Records that a write failed: the state is still to be written. */
    synchronized void writeFailed() {
        dirty = true;
    }

    /** Marks the task as queued for writing; returns {@code false} if it already is. */
    synchronized boolean queueForWrite() {
        if (queuedForWrite) {
            return false;
        }
        queuedForWrite = true;
        return true;
    }

    synchronized boolean isDirty() {
        return dirty;
    }
}
