package io.gobstopper.tasks.store.support;

import io.gobstopper.tasks.store.LiveTask;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The unique keys of unfinished tasks, for a single-node store: the equivalent of a unique index over the keys of
 * PENDING, RETRY and STARTED tasks. Claiming is atomic, so two concurrent submits with one key yield one task.
 */
public final class UniqueKeys {

    private final Map<String, LiveTask> holders = new HashMap<>();

    /** Claims the task's key; returns the unfinished task that already holds it, or {@code null} if claimed. */
    public LiveTask claim(LiveTask task) {
        String key = task.uniqueKey();
        if (key == null) {
            return null; // most tasks: no lock taken
        }
        synchronized (this) {
            LiveTask holder = holders.putIfAbsent(key, task);
            return holder == null || holder == task ? null : holder;
        }
    }

    /** Gives up the task's key, if the task holds it. */
    public void release(LiveTask task) {
        if (task.uniqueKey() != null) {
            synchronized (this) {
                holders.remove(task.uniqueKey(), task);
            }
        }
    }

    /**
     * Runs work that puts stored tasks back in play while no key can be claimed: it sees the keys held now and
     * claims the keys of the tasks it returns.
     */
    public synchronized <T extends Iterable<LiveTask>> T whileHeld(Function<Set<String>, T> work) {
        T tasks = work.apply(Set.copyOf(holders.keySet()));
        for (LiveTask task : tasks) {
            if (task.uniqueKey() != null) {
                holders.putIfAbsent(task.uniqueKey(), task);
            }
        }
        return tasks;
    }
}
