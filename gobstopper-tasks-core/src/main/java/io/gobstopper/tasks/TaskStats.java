package io.gobstopper.tasks;

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
 * @param queues per category: waiting, running, workers
 * @param registeredTasks the names of the registered tasks, sorted
 */
public record TaskStats(
        long total,
        Map<TaskStatus, Long> byStatus,
        Map<String, Long> byCategory,
        int running,
        int queued,
        Map<String, QueueStats> queues,
        List<String> registeredTasks) {

    /**
     * The live state of one category.
     *
     * @param queued tasks waiting for a worker
     * @param running tasks running
     * @param workers worker threads the category is sized to
     */
    public record QueueStats(int queued, int running, int workers) {}
}
