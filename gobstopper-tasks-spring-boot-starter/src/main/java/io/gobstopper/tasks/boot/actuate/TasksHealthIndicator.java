package io.gobstopper.tasks.boot.actuate;

import io.gobstopper.tasks.QueueHealth;
import io.gobstopper.tasks.TaskQueue;
import io.gobstopper.tasks.UnrunnableTasks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code tasks} health component: DOWN with the reason when the store fails or a worker died; the overdue status
 * (DEGRADED unless configured) while a category's oldest waiting task has waited longer than its max-wait; UP
 * otherwise. Details give the store, this instance's node id on a shared store, and, per category, {@code queued,
 * running, workers, oldestWaitSeconds, maxWaitSeconds, overdue}, and, when stored tasks wait under names no task of
 * the application is registered under, {@code unrunnable}: per name {@code {count, reason}} (they do not change the
 * status: an instance that knows them may run them). Everything is read from memory, so a check costs no
 * query (a store shared by several instances answers {@code check()} with one).
 */
public class TasksHealthIndicator extends AbstractHealthIndicator {

    private final TaskQueue queue;
    private final Status overdueStatus;
    private final String nodeId;

    /**
     * @param queue the task queue
     * @param overdueStatus the status while a category is overdue, e.g. {@code DEGRADED}
     * @param nodeId this instance's name on a store shared by several instances, or {@code null}
     */
    public TasksHealthIndicator(TaskQueue queue, String overdueStatus, String nodeId) {
        super("The task system's health check failed");
        this.queue = queue;
        this.overdueStatus = new Status(overdueStatus.trim().toUpperCase(Locale.ROOT));
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
        List<String> overdue = new ArrayList<>();
        queue.queues().forEach((category, stats) -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("queued", stats.queued());
            details.put("running", stats.running());
            details.put("workers", stats.workers());
            details.put("oldestWaitSeconds", seconds(stats.oldestWait()));
            details.put("maxWaitSeconds", stats.maxWait() == null ? null : seconds(stats.maxWait()));
            details.put("overdue", stats.overdue());
            categories.put(category, details);
            if (stats.overdue()) {
                overdue.add(category);
            }
        });
        builder.withDetail("categories", categories);
        List<UnrunnableTasks> unrunnable = queue.unrunnable();
        if (!unrunnable.isEmpty()) {
            Map<String, Object> byName = new LinkedHashMap<>();
            unrunnable.forEach(
                    tasks -> byName.put(tasks.name(), Map.of("count", tasks.count(), "reason", tasks.reason())));
            builder.withDetail("unrunnable", byName);
        }
        if (!health.healthy()) {
            builder.down().withDetail("reason", health.problem());
        } else if (!overdue.isEmpty()) {
            builder.status(overdueStatus)
                    .withDetail(
                            "reason",
                            "tasks wait longer than their category's max-wait in " + String.join(", ", overdue));
        } else {
            builder.up();
        }
    }

    private static double seconds(Duration duration) {
        return Math.round(duration.toNanos() / 1e6) / 1e3;
    }
}
