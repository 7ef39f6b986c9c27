package io.gobstopper.tasks.store;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The unfinished tasks a single-node store holds in memory. Together with the writer it is the store's
 * decision maker: a transition applies to the {@link LiveTask} under its monitor, and the writer then stores the
 * outcome in order. Every unfinished row of the store has an entry here, so a task that is not here has ended
 * (or does not exist).
 */
final class LiveTasks {

    private final Map<UUID, LiveTask> tasks = new ConcurrentHashMap<>();

    LiveTask get(UUID id) {
        return tasks.get(id);
    }

    void add(LiveTask task) {
        tasks.put(task.id(), task);
    }

    /** Stops tracking a task whose final state is stored. */
    void remove(LiveTask task) {
        tasks.remove(task.id(), task);
    }

    int size() {
        return tasks.size();
    }
}
