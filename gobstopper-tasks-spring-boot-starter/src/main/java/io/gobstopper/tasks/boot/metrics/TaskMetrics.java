package io.gobstopper.tasks.boot.metrics;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskQueue;
import io.gobstopper.tasks.TaskStats;
import io.gobstopper.tasks.event.TaskEvent;
import io.gobstopper.tasks.event.TaskListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Micrometer meters for the task system, fed by the engine's events: counters of submitted, completed and retried
 * tasks, timers of execution and of waiting (queued to started), and per-category gauges of queued and running
 * tasks and workers that read the engine's memory, never the store.
 */
public final class TaskMetrics implements TaskListener, SmartInitializingSingleton {

    private final MeterRegistry registry;
    private final Supplier<TaskQueue> queue;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Set<String> gaugedCategories = ConcurrentHashMap.newKeySet();

    /**
     * @param registry where the meters go
     * @param queue the queue the gauges read, looked up when first needed (the queue itself is told of events)
     */
    public TaskMetrics(MeterRegistry registry, Supplier<TaskQueue> queue) {
        this.registry = registry;
        this.queue = queue;
    }

    @Override
    public void afterSingletonsInstantiated() {
        queue.get().queues().keySet().forEach(this::gauges);
    }

    @Override
    public void onEvent(TaskEvent event) {
        TaskInfo task = event.task();
        gauges(task.category());
        switch (event.type()) {
            case SUBMITTED ->
                counter(
                                "gobstopper.tasks.submitted",
                                "Tasks submitted",
                                "name",
                                task.name(),
                                "category",
                                task.category(),
                                "priority",
                                task.priority().name())
                        .increment();
            case STARTED -> {
                Instant due = task.runAt() != null ? task.runAt() : task.createdAt();
                Duration waited = Duration.between(due, task.startedAt());
                timer("gobstopper.tasks.wait", "Time tasks waited from queued to started", "category", task.category())
                        .record(waited.isNegative() ? Duration.ZERO : waited);
            }
            case SUCCEEDED, FAILED -> {
                executed(task, event.at());
                completed(task);
            }
            case RETRY -> {
                executed(task, event.at());
                counter(
                                "gobstopper.tasks.retries",
                                "Failed runs scheduled to run again",
                                "name",
                                task.name(),
                                "category",
                                task.category())
                        .increment();
            }
            case CANCELLED -> completed(task);
            case PROGRESS -> {
                // progress is not measured
            }
        }
    }

    private void completed(TaskInfo task) {
        counter(
                        "gobstopper.tasks.completed",
                        "Tasks that ended (SUCCESS, FAILED or CANCELLED)",
                        "name",
                        task.name(),
                        "category",
                        task.category(),
                        "status",
                        task.status().name())
                .increment();
    }

    private void executed(TaskInfo task, Instant at) {
        if (task.startedAt() == null) {
            return; // rejected without running
        }
        Instant end = task.completedAt() != null ? task.completedAt() : at;
        timer(
                        "gobstopper.tasks.execution",
                        "Time a run of a task took",
                        "name",
                        task.name(),
                        "category",
                        task.category(),
                        "status",
                        task.status().name())
                .record(Duration.between(task.startedAt(), end));
    }

    private Counter counter(String name, String description, String... tags) {
        return counters.computeIfAbsent(
                key(name, tags),
                key -> Counter.builder(name)
                        .description(description)
                        .baseUnit("tasks")
                        .tags(tags)
                        .register(registry));
    }

    private Timer timer(String name, String description, String... tags) {
        return timers.computeIfAbsent(
                key(name, tags),
                key -> Timer.builder(name).description(description).tags(tags).register(registry));
    }

    private static String key(String name, String... tags) {
        return name + '|' + String.join("|", tags);
    }

    private void gauges(String category) {
        if (gaugedCategories.add(category)) {
            gauge(
                    "gobstopper.tasks.queued",
                    "Tasks waiting for a worker",
                    "tasks",
                    category,
                    TaskStats.QueueStats::queued);
            gauge("gobstopper.tasks.running", "Tasks running", "tasks", category, TaskStats.QueueStats::running);
            gauge(
                    "gobstopper.tasks.workers",
                    "Worker threads the category is sized to",
                    "threads",
                    category,
                    TaskStats.QueueStats::workers);
            gauge(
                    "gobstopper.tasks.oldest.wait",
                    "How long the task that has waited longest for a worker has waited",
                    "seconds",
                    category,
                    stats -> stats.oldestWait().toNanos() / 1e9);
        }
    }

    private void gauge(
            String name,
            String description,
            String unit,
            String category,
            ToDoubleFunction<TaskStats.QueueStats> value) {
        Gauge.builder(name, () -> {
                    TaskStats.QueueStats stats = queue.get().queues().get(category);
                    return stats == null ? 0 : value.applyAsDouble(stats);
                })
                .description(description)
                .baseUnit(unit)
                .tag("category", category)
                .register(registry);
    }
}
