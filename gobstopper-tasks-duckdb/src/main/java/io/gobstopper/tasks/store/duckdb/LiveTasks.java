package io.gobstopper.tasks.store.duckdb;

import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.support.TrackedTask;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The unfinished tasks a single-node store holds in memory. Together with the writer it is the store's
 * decision maker: a change applies to the {@link LiveTask} under its monitor, and the writer then stores the
 * outcome in order. Every unfinished row of the store has an entry here, except the due tasks that wait in the
 * backlog ({@link SpilledTasks}) once their rows are written: a task that is not here has ended, does not exist, or
 * waits in the backlog.
 */
final class LiveTasks {

    private final Map<UUID, TrackedTask> tasks = new ConcurrentHashMap<>();

    TrackedTask get(UUID id) {
        return tasks.get(id);
    }

    TrackedTask add(TrackedTask task) {
        tasks.put(task.task().id(), task);
        return task;
    }

    /** Stops tracking a task whose final state is stored. */
    void remove(TrackedTask task) {
        tasks.remove(task.task().id(), task);
    }

    int size() {
        return tasks.size();
    }
}
