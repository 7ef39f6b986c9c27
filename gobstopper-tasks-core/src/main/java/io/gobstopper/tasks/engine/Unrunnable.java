package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.UnrunnableTasks;
import io.gobstopper.tasks.store.LiveTask;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The stored tasks that a store of one instance handed over and that this application cannot run: no task is
 * registered under their names. They stay PENDING (or RETRY) in the store and wait here, by name, out of the workers'
 * way, until they are ended by hand, or the application restarts with a task of that name (or alias) registered.
 */
final class Unrunnable {

    /** By name, by id; guarded by this. */
    private final Map<String, Map<UUID, LiveTask>> byName = new TreeMap<>();

    /** Holds a task (again: holding it twice keeps it once). */
    synchronized void add(LiveTask task) {
        byName.computeIfAbsent(task.name(), name -> new LinkedHashMap<>()).put(task.id(), task);
    }

    /** Forgets a task that ended (cancelled, say). */
    synchronized void remove(LiveTask task) {
        Map<UUID, LiveTask> held = byName.get(task.name());
        if (held != null && held.remove(task.id()) != null && held.isEmpty()) {
            byName.remove(task.name());
        }
    }

    /** The held tasks that still wait, by name, sorted; those that ended meanwhile are forgotten. */
    synchronized List<UnrunnableTasks> list() {
        List<UnrunnableTasks> list = new ArrayList<>();
        for (Iterator<Map.Entry<String, Map<UUID, LiveTask>>> names =
                        byName.entrySet().iterator();
                names.hasNext(); ) {
            Map.Entry<String, Map<UUID, LiveTask>> entry = names.next();
            entry.getValue().values().removeIf(task -> !waits(task));
            if (entry.getValue().isEmpty()) {
                names.remove();
            } else {
                list.add(UnrunnableTasks.of(entry.getKey(), entry.getValue().size()));
            }
        }
        return list;
    }

    /** Takes the tasks held under a name that still wait. */
    synchronized List<LiveTask> take(String name) {
        Map<UUID, LiveTask> held = byName.remove(name);
        if (held == null) {
            return List.of();
        }
        return held.values().stream().filter(Unrunnable::waits).toList();
    }

    private static boolean waits(LiveTask task) {
        TaskStatus status = task.status();
        return status == TaskStatus.PENDING || status == TaskStatus.RETRY;
    }
}
