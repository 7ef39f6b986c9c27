package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.store.LiveTask;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Tasks waiting for their parents. A task is registered with its unfinished parents before it is stored, and
 * accepted once it is; it is released when the last parent succeeds, and cancelled (with the reason) as soon as
 * one fails or is cancelled. Parents' statuses are read under this object's lock, and every parent's end is
 * reported here after its status changed, so no end is missed whichever comes first.
 */
final class Dependencies {

    /** What to do with a task once it is stored, or after a parent ended. */
    record Decision(LiveTask task, String cancelReason) {

        boolean release() {
            return cancelReason == null;
        }
    }

    private static final class Waiting {
        final LiveTask task;
        int unfinished;
        boolean accepted;
        String cancelReason;

        Waiting(LiveTask task) {
            this.task = task;
        }
    }

    private final Map<UUID, List<Waiting>> childrenOf = new HashMap<>();
    private final Map<UUID, Waiting> waiting = new HashMap<>();
    /**
     * Set once any task was registered, before its parents' statuses are read: an end reported after that read sees
     * it, so ends can skip the lock while no task ever depended on another (the hot path).
     */
    private volatile boolean used;

    /**
     * Registers a task with the parents it waits for.
     *
     * @param parents its parents as held in memory (parents that ended long ago were settled by the caller)
     * @param settledReason a reason to cancel it found by the caller (a parent that failed long ago), or {@code null}
     */
    synchronized void register(LiveTask task, List<LiveTask> parents, String settledReason) {
        used = true;
        Waiting entry = new Waiting(task);
        entry.cancelReason = settledReason;
        for (LiveTask parent : parents) {
            TaskStatus status = parent.status();
            if (status == TaskStatus.SUCCESS) {
                continue;
            }
            if (status.isCompleted()) {
                if (entry.cancelReason == null) {
                    entry.cancelReason = reason(parent, status);
                }
                continue;
            }
            childrenOf.computeIfAbsent(parent.id(), id -> new ArrayList<>()).add(entry);
            entry.unfinished++;
        }
        if (entry.unfinished > 0 || entry.cancelReason != null) {
            waiting.put(task.id(), entry);
        }
    }

    /** The task is stored: run it now (release), keep it waiting ({@code null}), or cancel it. */
    synchronized Decision accept(LiveTask task) {
        Waiting entry = waiting.get(task.id());
        if (entry == null) {
            return new Decision(task, null);
        }
        entry.accepted = true;
        if (entry.cancelReason != null || entry.unfinished == 0) {
            waiting.remove(task.id());
            return new Decision(task, entry.cancelReason);
        }
        return null;
    }

    /** Forgets a task that was not stored after all. */
    synchronized void forget(LiveTask task) {
        waiting.remove(task.id());
    }

    /** Whether the task waits for a parent. */
    synchronized boolean isWaiting(UUID id) {
        return waiting.containsKey(id);
    }

    /** A task ended: its waiting children are released or cancelled. */
    List<Decision> ended(LiveTask parent, TaskStatus status) {
        if (!used) {
            return List.of();
        }
        synchronized (this) {
            return decide(parent, status);
        }
    }

    private List<Decision> decide(LiveTask parent, TaskStatus status) {
        List<Waiting> children = childrenOf.remove(parent.id());
        if (children == null) {
            return List.of();
        }
        List<Decision> decisions = new ArrayList<>();
        for (Waiting child : children) {
            if (waiting.get(child.task.id()) != child) {
                continue; // already decided, or not stored after all
            }
            if (status == TaskStatus.SUCCESS) {
                child.unfinished--;
            } else if (child.cancelReason == null) {
                child.cancelReason = reason(parent, status);
            }
            if (child.accepted && (child.cancelReason != null || child.unfinished == 0)) {
                waiting.remove(child.task.id());
                decisions.add(new Decision(child.task, child.cancelReason));
            }
        }
        return decisions;
    }

    static String reason(LiveTask parent, TaskStatus status) {
        return reason(parent.id(), parent.name(), status);
    }

    static String reason(UUID parentId, String parentName, TaskStatus status) {
        return "Cancelled: task " + parentId + " (" + parentName + ") that this task depends on ended " + status;
    }
}
