package io.gobstopper.tasks;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Counts over every stored task (by SQL aggregate) and the live state of each category's queue.
 *
 * @param total tasks stored
 * @param byStatus stored tasks per status, every status present
 * @param byCategory stored tasks per category
 * @param running tasks running now, over all categories
 * @param queued tasks waiting for a worker now, over all categories
 * @param queues per category: waiting, running, workers, and how long the oldest waiting task has waited
 * @param registeredTasks the names of the registered tasks, sorted
 * @param unrunnable the stored tasks waiting under names no task of this application is registered under, by name
 */
public record TaskStats(
        long total,
        Map<TaskStatus, Long> byStatus,
        Map<String, Long> byCategory,
        int running,
        int queued,
        Map<String, QueueStats> queues,
        List<String> registeredTasks,
        List<UnrunnableTasks> unrunnable) {

    public TaskStats {
        unrunnable = unrunnable == null ? List.of() : List.copyOf(unrunnable);
    }

    /**
     * Stats without unrunnable tasks.
     *
     * @deprecated use the canonical constructor, which takes the unrunnable tasks
     */
    @Deprecated
    public TaskStats(
            long total,
            Map<TaskStatus, Long> byStatus,
            Map<String, Long> byCategory,
            int running,
            int queued,
            Map<String, QueueStats> queues,
            List<String> registeredTasks) {
        this(total, byStatus, byCategory, running, queued, queues, registeredTasks, List.of());
    }

    /**
     * The live state of one category.
     *
     * @param queued tasks waiting for a worker
     * @param running tasks running
     * @param workers worker threads the category is sized to
     * @param oldestWait how long the task that has waited longest for a worker has waited; zero when none waits
     * @param maxWait the category's target for {@code oldestWait} ({@code categories.<name>.max-wait}), or
     *     {@code null} for none
     */
    public record QueueStats(int queued, int running, int workers, Duration oldestWait, Duration maxWait) {

        public QueueStats {
            oldestWait = oldestWait == null ? Duration.ZERO : oldestWait;
        }

        /** A category with nobody waiting and no target. */
        public QueueStats(int queued, int running, int workers) {
            this(queued, running, workers, Duration.ZERO, null);
        }

        /** Whether the oldest waiting task has waited longer than the category's target. */
        public boolean overdue() {
            return maxWait != null && oldestWait.compareTo(maxWait) > 0;
        }
    }
}
