package io.gobstopper.tasks.store.support;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.store.LiveTask;

/**
 * A task that a store writing behind (through a {@link GroupCommitWriter}) holds in memory, and how much of it is
 * written: the status its table holds, the {@linkplain LiveTask#version() version} last taken for writing, and whether
 * it waits in the writer's queue. The task's own changes decide; this only remembers what was stored.
 */
public final class TrackedTask {

    private final LiveTask task;
    /** The status the table holds, as of the last committed write; {@code null} until the row is inserted. */
    private TaskStatus storedStatus;
    /** The version of the task last taken for writing; -1 for none, which makes any state a change to write. */
    private long takenVersion;
    /** Whether the task waits in the writer's queue of changed tasks. */
    private boolean queued;
    /** Set once the task's final state is stored and nothing is left to write: the store stops holding it. */
    private boolean detached;
    /** Whether the task waits in the store's backlog rather than in the engine's memory ({@code TaskBacklog}). */
    private boolean spilled;
    /** Whether someone besides the store holds this task object, so it must stay the one the store holds. */
    private boolean pinned;

    private TrackedTask(LiveTask task, TaskStatus storedStatus, long takenVersion) {
        this.task = task;
        this.storedStatus = storedStatus;
        this.takenVersion = takenVersion;
    }

    /** A task not stored yet: its row is to be inserted. */
    public static TrackedTask unstored(LiveTask task) {
        return new TrackedTask(task, null, -1);
    }

    /** A task whose row holds its state as it is now (read back from the table, say). */
    public static TrackedTask stored(LiveTask task) {
        synchronized (task) {
            return new TrackedTask(task, task.status(), task.version());
        }
    }

    public LiveTask task() {
        return task;
    }

    /** The status the table holds, as of the last committed write; {@code null} until the row is inserted. */
    public synchronized TaskStatus storedStatus() {
        return storedStatus;
    }

    /**
     * Takes the state to write.
     *
     * @param insert whether the row is to be inserted (taken even when nothing changed)
     * @return the write, or {@code null} if there is nothing to write yet
     */
    synchronized TaskWrite take(boolean insert) {
        queued = false;
        TaskInfo state;
        long version;
        synchronized (task) {
            state = task.snapshot();
            version = task.version();
        }
        if (!insert && (storedStatus == null || version == takenVersion)) {
            return null;
        }
        takenVersion = version;
        return new TaskWrite(state, insert ? null : storedStatus, version);
    }

    /**
     * Records that a write was committed.
     *
     * @return whether the task is now detached: its final state is stored and nothing is left to write
     */
    synchronized boolean written(TaskWrite write) {
        storedStatus = write.task().status();
        synchronized (task) {
            if (task.version() == write.version() && task.status().isCompleted() && storedStatus == task.status()) {
                detached = true;
            }
        }
        if (!detached && spilledAndStored()) {
            detached = true; // it waits in the backlog: its row holds it, and nobody holds this object
        }
        return detached;
    }

    /**
     * Marks the task as waiting in the store's backlog: once its row holds its state, and nobody else holds this
     * object, the store stops holding it in memory and reads it back from its row when its turn comes.
     */
    public synchronized void spill() {
        spilled = true;
    }

    /**
     * Takes the task out of the backlog (read back in its turn, or cancelled).
     *
     * @return whether it was in the backlog, held as this object
     */
    public synchronized boolean unspill() {
        if (detached || !spilled) {
            return false;
        }
        spilled = false;
        return true;
    }

    /** Whether the task waits in the store's backlog. */
    public synchronized boolean spilled() {
        return spilled;
    }

    /**
     * Keeps this object the one the store holds for the task until it ends, because it was handed to someone.
     *
     * @return {@code false} if the store stopped holding it already (read the task again)
     */
    public synchronized boolean pin() {
        if (detached) {
            return false;
        }
        pinned = true;
        return true;
    }

    /**
     * Detaches a task of the backlog whose row holds its state, so the store stops holding it in memory.
     *
     * @return whether it is now detached
     */
    public synchronized boolean detachSpilled() {
        if (!detached && spilledAndStored()) {
            detached = true;
        }
        return detached;
    }

    private boolean spilledAndStored() {
        if (!spilled || pinned || task.uniqueKey() != null || storedStatus == null) {
            return false; // a key's holder is this object, so it stays
        }
        synchronized (task) {
            return task.version() == takenVersion
                    && storedStatus == task.status()
                    && (storedStatus == TaskStatus.PENDING || storedStatus == TaskStatus.RETRY);
        }
    }

    /** Records that a write failed: the state is still to be written. */
    synchronized void writeFailed() {
        takenVersion = -1;
    }

    /** Marks the task as queued for writing; returns {@code false} if it already is. */
    synchronized boolean queue() {
        if (queued) {
            return false;
        }
        queued = true;
        return true;
    }

    /** Whether the task changed since its state was last taken for writing. */
    synchronized boolean changedSinceTaken() {
        return task.version() != takenVersion;
    }
}
