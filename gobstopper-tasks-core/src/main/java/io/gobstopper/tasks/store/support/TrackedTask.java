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
        return detached;
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
