package io.gobstopper.tasks.boot.actuate;

import io.gobstopper.tasks.QueueHealth;
import io.gobstopper.tasks.TaskQueue;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code tasks} health component: UP while the store answers and every worker lives, DOWN with the reason
 * otherwise; details give the store, this instance's node id on a shared store, and each category's queue.
 */
public class TasksHealthIndicator extends AbstractHealthIndicator {

    private final TaskQueue queue;
    private final String nodeId;

    public TasksHealthIndicator(TaskQueue queue) {
        this(queue, null);
    }

    /**
     * @param queue the task queue
     * @param nodeId this instance's name on a store shared by several instances, or {@code null}
     */
    public TasksHealthIndicator(TaskQueue queue, String nodeId) {
        super("The task system's health check failed");
        this.queue = queue;
        this.nodeId = nodeId;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        QueueHealth health = queue.health();
        builder.withDetail("store", health.store());
        if (nodeId != null) {
            builder.withDetail("nodeId", nodeId);
        }
        Map<String, Object> categories = new LinkedHashMap<>();
        queue.queues().forEach((category, stats) -> categories.put(category,
                Map.of("queued", stats.queued(), "running", stats.running(), "workers", stats.workers())));
        builder.withDetail("categories", categories);
        if (health.healthy()) {
            builder.up();
        } else {
            builder.down().withDetail("reason", health.problem());
        }
    }
}
