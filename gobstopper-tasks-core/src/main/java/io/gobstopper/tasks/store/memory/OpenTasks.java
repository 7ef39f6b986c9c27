package io.gobstopper.tasks.store.memory;

import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskNotFoundException;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.TaskStore.TaskCounts;
import io.gobstopper.tasks.store.support.UniqueKeys;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The data of an open in-memory store: every task by id, the unique keys its unfinished tasks hold, who hears of new
 * tasks, and the reads over them, each sorted as the SQL stores sort it.
 */
final class OpenTasks {

    private final Map<UUID, LiveTask> byId = new ConcurrentHashMap<>();
    private final UniqueKeys keys = new UniqueKeys();
    private final Consumer<List<LiveTask>> committed;

    OpenTasks(Consumer<List<LiveTask>> committed) {
        this.committed = committed;
    }

    /** Every task, unfinished and ended. */
    Map<UUID, LiveTask> byId() {
        return byId;
    }

    UniqueKeys keys() {
        return keys;
    }

    /** Told of each call's newly inserted tasks. */
    Consumer<List<LiveTask>> committed() {
        return committed;
    }

    /** The task with this id; throws if there is none. */
    LiveTask require(UUID id) {
        LiveTask task = byId.get(id);
        if (task == null) {
            throw new TaskNotFoundException(id);
        }
        return task;
    }

    Stream<TaskInfo> snapshots() {
        return byId.values().stream().map(LiveTask::snapshot);
    }

    /** The tasks a listing filter selects, ignoring its page, newest first. */
    List<TaskInfo> selected(TaskFilter filter) {
        return snapshots()
                .filter(task -> filter.category() == null || filter.category().equals(task.category()))
                .filter(task -> filter.status() == null || filter.status() == task.status())
                .filter(task -> filter.name() == null || filter.name().equals(task.name()))
                .sorted(TaskOrder.NEWEST_FIRST)
                .toList();
    }

    /** Counts by status (every status present) and by category. */
    TaskCounts counts() {
        Map<TaskStatus, Long> byStatus = new EnumMap<>(TaskStatus.class);
        for (TaskStatus status : TaskStatus.values()) {
            byStatus.put(status, 0L);
        }
        Map<String, Long> byCategory = new TreeMap<>();
        List<TaskInfo> all = snapshots().toList();
        for (TaskInfo task : all) {
            byStatus.merge(task.status(), 1L, Long::sum);
            byCategory.merge(task.category(), 1L, Long::sum);
        }
        return new TaskCounts(all.size(), byStatus, byCategory);
    }

    /** The FAILED tasks, the latest to end first. */
    List<TaskInfo> recentFailures(int limit) {
        return snapshots()
                .filter(task -> task.status() == TaskStatus.FAILED)
                .sorted(TaskOrder.LATEST_END_FIRST)
                .limit(limit)
                .toList();
    }
}
