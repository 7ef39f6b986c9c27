package io.gobstopper.tasks.boot.actuate;

import io.gobstopper.tasks.QueueHealth;
import io.gobstopper.tasks.TaskAnalytics;
import io.gobstopper.tasks.TaskDescriptor;
import io.gobstopper.tasks.TaskQueue;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.boot.json.TaskJsonView;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /actuator/tasks}: the store, the registered tasks, each category's workers and queue, the recurring tasks'
 * schedules, the stored tasks waiting under names no task is registered under ({@code unrunnable}), counts by status, the latest failures, the instances that work on the store and a summary of the last
 * 24 hours' analytics by task name;
 * {@code /actuator/tasks/{id}}: one task.
 */
@Endpoint(id = "tasks")
public class TasksEndpoint {

    /** How many recent failures the overview lists. */
    static final int RECENT_FAILURES = 10;

    private final TaskQueue queue;
    private final TaskJsonView view;

    public TasksEndpoint(TaskQueue queue, TaskJsonView view) {
        this.queue = queue;
        this.view = view;
    }

    @ReadOperation
    public ObjectNode tasks() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("enabled", queue.isEnabled());
        QueueHealth health = queue.health();
        node.put("store", health.store());
        var registered = node.putArray("registeredTasks");
        for (TaskDescriptor task : queue.registeredTasks()) {
            ObjectNode descriptor = registered
                    .addObject()
                    .put("name", task.name())
                    .put("category", task.category())
                    .put("priority", task.priority().name())
                    .put("maxRetries", task.maxRetries())
                    .put("method", task.method())
                    .put("exposed", task.exposed());
            task.aliases().forEach(descriptor.putArray("aliases")::add);
        }
        ObjectNode categories = node.putObject("categories");
        queue.queues()
                .forEach((category, stats) -> categories
                        .putObject(category)
                        .put("workers", stats.workers())
                        .put("queued", stats.queued())
                        .put("running", stats.running()));
        node.set("schedules", view.schedules(queue.schedules()));
        node.set("unrunnable", view.unrunnable(queue.unrunnable()));
        ObjectNode byStatus = node.putObject("byStatus");
        if (queue.isEnabled()) {
            Map<TaskStatus, Long> counts = queue.stats().byStatus();
            counts.forEach((status, count) -> byStatus.put(status.name(), count));
            node.set("recentFailures", view.tasks(queue.recentFailures(RECENT_FAILURES)));
            node.set("nodes", view.nodes(queue.nodes()));
            node.set(
                    "analytics",
                    view.analytics(queue.analytics(TaskAnalytics.DEFAULT_SINCE, TaskAnalytics.GroupBy.NAME, false)));
        } else {
            node.putArray("recentFailures");
            node.putArray("nodes");
            node.set(
                    "analytics",
                    view.analytics(TaskAnalytics.empty(TaskAnalytics.DEFAULT_SINCE, TaskAnalytics.GroupBy.NAME)));
        }
        return node;
    }

    @ReadOperation
    public ObjectNode task(@Selector String id) {
        UUID taskId;
        try {
            taskId = UUID.fromString(id);
        } catch (IllegalArgumentException ex) {
            return null; // answers 404
        }
        return queue.get(taskId).map(view::task).orElse(null);
    }
}
