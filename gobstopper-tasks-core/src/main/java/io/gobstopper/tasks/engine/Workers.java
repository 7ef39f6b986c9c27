package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.TaskStats;
import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.TaskBacklog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The worker pools of every category, made on first use with the category's settings, and their figures: what waits
 * in memory for a worker, what runs, how many workers each has. Read from memory only, so cheap enough for gauges.
 */
final class Workers {

    private final TaskEngineSettings settings;
    private final TaskRegistry registry;
    private final Consumer<LiveTask> runner;
    private final TaskBacklog backlog;
    private final Map<String, CategoryPool> pools = new ConcurrentHashMap<>();

    /** @param runner runs one task on the calling worker thread */
    Workers(TaskEngineSettings settings, TaskRegistry registry, Consumer<LiveTask> runner) {
        this(settings, registry, runner, null);
    }

    /**
     * @param runner runs one task on the calling worker thread
     * @param backlog where the store keeps the waiting tasks past its window, or {@code null} to hold all in memory
     */
    Workers(TaskEngineSettings settings, TaskRegistry registry, Consumer<LiveTask> runner, TaskBacklog backlog) {
        this.settings = settings;
        this.registry = registry;
        this.runner = runner;
        this.backlog = backlog;
    }

    /** The pool of a category, made on first use. */
    CategoryPool pool(String category) {
        return pools.computeIfAbsent(
                category,
                name -> new CategoryPool(
                        name,
                        settings.workersFor(name),
                        settings.priorityAging(),
                        settings.rateFor(name),
                        runner,
                        backlog));
    }

    /** Queues tasks for their categories' workers, in the given order within a category. */
    void enqueue(List<LiveTask> tasks) {
        if (tasks.size() == 1) {
            pool(tasks.get(0).category()).enqueue(tasks);
            return;
        }
        Map<String, List<LiveTask>> byCategory = new java.util.LinkedHashMap<>();
        tasks.forEach(task -> byCategory
                .computeIfAbsent(task.category(), category -> new ArrayList<>())
                .add(task));
        byCategory.forEach((category, batch) -> pool(category).enqueue(batch));
    }

    /** Drops a waiting task from its category's queue, if it waits there. */
    void remove(String category, UUID id) {
        CategoryPool pool = pools.get(category);
        if (pool != null) {
            pool.remove(id);
        }
    }

    /** The categories known here: those of pools in use, of registered tasks, and of the settings. */
    Set<String> categories() {
        Set<String> categories = new TreeSet<>(pools.keySet());
        registry.definitions().forEach(definition -> categories.add(definition.category()));
        categories.addAll(settings.categories().keySet());
        return categories;
    }

    /** Each known category's queue as it is in memory now. */
    Map<String, TaskStats.QueueStats> queues() {
        Map<String, TaskStats.QueueStats> queues = new TreeMap<>();
        for (String category : categories()) {
            CategoryPool pool = pools.get(category);
            queues.put(
                    category,
                    pool == null
                            ? idle(category)
                            : new TaskStats.QueueStats(
                                    (int) Math.min(Integer.MAX_VALUE, pool.queued() + pool.backlogged()),
                                    pool.running(),
                                    pool.workers(),
                                    pool.oldestWait(),
                                    settings.maxWaitFor(category)));
        }
        return queues;
    }

    /** The figures of a category without a pool yet. */
    TaskStats.QueueStats idle(String category) {
        return new TaskStats.QueueStats(
                0, 0, settings.workersFor(category), Duration.ZERO, settings.maxWaitFor(category));
    }

    int running() {
        return pools.values().stream().mapToInt(CategoryPool::running).sum();
    }

    /** The categories with worker threads that died without leaving: should always be none. */
    List<String> withDeadWorkers() {
        return pools.values().stream()
                .filter(pool -> pool.deadWorkers() > 0)
                .map(CategoryPool::category)
                .toList();
    }

    /** Stops handing out tasks; running ones finish. */
    void stop() {
        pools.values().forEach(CategoryPool::stop);
    }

    /** Waits until every worker has left, or the deadline passes; returns whether all have left. */
    boolean awaitWorkers(long deadlineNanos) throws InterruptedException {
        boolean finished = true;
        for (CategoryPool pool : pools.values()) {
            finished &= pool.awaitWorkers(deadlineNanos);
        }
        return finished;
    }

    /** The tasks running now, with the threads that run them. */
    Map<Thread, LiveTask> runningTasks() {
        Map<Thread, LiveTask> running = new java.util.HashMap<>();
        pools.values().forEach(pool -> running.putAll(pool.runningTasks()));
        return running;
    }
}
