package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.TaskLimits;
import io.gobstopper.tasks.retry.RetryPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How the engine runs, checked in one place: each problem is reported with the setting's name (as in
 * {@code gobstopper.tasks.*}), the value, and the allowed range.
 *
 * @param workers workers per category, 0-256
 * @param retry the backoff for categories without their own
 * @param categories per-category overrides
 * @param shutdownTimeout how long shutdown waits for running tasks
 * @param retention ended tasks older than this are deleted periodically; zero keeps everything
 * @param cleanupInterval how often the retention cleanup runs
 * @param queueCapacity the most unfinished tasks per category; 0 for no limit
 * @param priorityAging a waiting task gains one priority level per this much waiting; zero switches aging off
 * @param schedules per-task overrides of {@code @BackgroundTask(cron, zone)}, by task name
 * @param retentionMode what the retention cleanup does with ended tasks past the retention: delete or archive them
 */
public record TaskEngineSettings(
        int workers,
        RetryPolicy retry,
        Map<String, CategorySettings> categories,
        Duration shutdownTimeout,
        Duration retention,
        Duration cleanupInterval,
        int queueCapacity,
        Duration priorityAging,
        Map<String, ScheduleOverride> schedules,
        RetentionMode retentionMode) {

    /** What the periodic retention cleanup does with ended tasks older than the retention. */
    public enum RetentionMode {
        /** Deletes them. */
        DELETE,
        /** Archives them to Parquet (DuckDB store only), see {@link io.gobstopper.tasks.TaskQueue#archive}. */
        ARCHIVE
    }

    /** The settings without a retention mode: the cleanup deletes. */
    public TaskEngineSettings(
            int workers,
            RetryPolicy retry,
            Map<String, CategorySettings> categories,
            Duration shutdownTimeout,
            Duration retention,
            Duration cleanupInterval,
            int queueCapacity,
            Duration priorityAging,
            Map<String, ScheduleOverride> schedules) {
        this(
                workers,
                retry,
                categories,
                shutdownTimeout,
                retention,
                cleanupInterval,
                queueCapacity,
                priorityAging,
                schedules,
                RetentionMode.DELETE);
    }

    /** The most workers one category may have. */
    public static final int MAX_WORKERS = TaskLimits.MAX_WORKERS;

    public static final int DEFAULT_WORKERS = 2;
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    public static final Duration DEFAULT_CLEANUP_INTERVAL = Duration.ofHours(1);
    public static final int DEFAULT_QUEUE_CAPACITY = 0;
    /** Generous: under a steady stream of HIGH work a LOW task waits at most about 2 minutes for a worker. */
    public static final Duration DEFAULT_PRIORITY_AGING = Duration.ofMinutes(1);

    /**
     * The defaults: 2 workers, 2 s/2.0/60 s backoff, 30 s shutdown timeout, 30 days retention, hourly cleanup, no
     * queue capacity, one priority level per minute of waiting.
     */
    public static final TaskEngineSettings DEFAULTS = new TaskEngineSettings(
            DEFAULT_WORKERS,
            RetryPolicy.DEFAULT,
            Map.of(),
            DEFAULT_SHUTDOWN_TIMEOUT,
            DEFAULT_RETENTION,
            DEFAULT_CLEANUP_INTERVAL,
            DEFAULT_QUEUE_CAPACITY,
            DEFAULT_PRIORITY_AGING,
            Map.of());

    public TaskEngineSettings {
        checkWorkers("workers", workers);
        retentionMode = retentionMode == null ? RetentionMode.DELETE : retentionMode;
        Objects.requireNonNull(retry, "retry must be set");
        categories = new TreeMap<>(categories == null ? Map.of() : categories);
        categories.forEach((name, category) -> {
            if (!TaskLimits.isValidCategory(name)) {
                throw new IllegalArgumentException(
                        "categories." + name + ": the category name is invalid; use " + TaskLimits.CATEGORY_RULE);
            }
            if (category.workers() != null) {
                checkWorkers("categories." + name + ".workers", category.workers());
            }
            if (category.queueCapacity() != null) {
                checkCapacity("categories." + name + ".queue-capacity", category.queueCapacity());
            }
            if (category.maxWait() != null
                    && (category.maxWait().isZero() || category.maxWait().isNegative())) {
                throw new IllegalArgumentException(
                        "categories." + name + ".max-wait must be more than zero, got " + category.maxWait());
            }
        });
        categories = Map.copyOf(categories);
        requireNotNegative("shutdown-timeout", shutdownTimeout);
        requireNotNegative("retention", retention);
        Objects.requireNonNull(cleanupInterval, "cleanupInterval must be set");
        if (cleanupInterval.isZero() || cleanupInterval.isNegative()) {
            throw new IllegalArgumentException("cleanup interval must be more than zero, got " + cleanupInterval);
        }
        checkCapacity("queue-capacity", queueCapacity);
        requireNotNegative("priority-aging", priorityAging);
        schedules = Map.copyOf(schedules == null ? Map.of() : schedules);
    }

    /** Checks a worker count: 0 to {@value #MAX_WORKERS}. */
    public static void checkWorkers(String setting, int workers) {
        if (!TaskLimits.isValidWorkers(workers)) {
            throw new IllegalArgumentException(TaskLimits.workersRefusal(setting, workers));
        }
    }

    private static void checkCapacity(String setting, int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException(setting + " must be 0 (no limit) or more, got " + capacity);
        }
    }

    private static void requireNotNegative(String setting, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(setting + " must be zero or more, got " + value);
        }
    }

    /** The worker count for a category. */
    public int workersFor(String category) {
        CategorySettings settings = categories.get(category);
        return settings != null && settings.workers() != null ? settings.workers() : workers;
    }

    /** The backoff for a category. */
    public RetryPolicy retryFor(String category) {
        CategorySettings settings = categories.get(category);
        return settings != null && settings.retry() != null ? settings.retry() : retry;
    }

    /** The queue capacity of a category; 0 for no limit. */
    public int capacityFor(String category) {
        CategorySettings settings = categories.get(category);
        return settings != null && settings.queueCapacity() != null ? settings.queueCapacity() : queueCapacity;
    }

    /** The target for the age of a category's oldest waiting task, or {@code null} for none. */
    public Duration maxWaitFor(String category) {
        CategorySettings settings = categories.get(category);
        return settings == null ? null : settings.maxWait();
    }

    /** The rate limit of a category, or {@code null} for none. */
    public RateLimit rateFor(String category) {
        CategorySettings settings = categories.get(category);
        return settings == null ? null : settings.rate();
    }

    public TaskEngineSettings withWorkers(int workers) {
        return new TaskEngineSettings(
                workers,
                retry,
                categories,
                shutdownTimeout,
                retention,
                cleanupInterval,
                queueCapacity,
                priorityAging,
                schedules,
                retentionMode);
    }

    public TaskEngineSettings withRetry(RetryPolicy retry) {
        return new TaskEngineSettings(
                workers,
                retry,
                categories,
                shutdownTimeout,
                retention,
                cleanupInterval,
                queueCapacity,
                priorityAging,
                schedules,
                retentionMode);
    }

    public TaskEngineSettings withCategory(String name, CategorySettings category) {
        Map<String, CategorySettings> all = new TreeMap<>(categories);
        all.put(name, category);
        return new TaskEngineSettings(
                workers,
                retry,
                all,
                shutdownTimeout,
                retention,
                cleanupInterval,
                queueCapacity,
                priorityAging,
                schedules,
                retentionMode);
    }

    public TaskEngineSettings withShutdownTimeout(Duration shutdownTimeout) {
        return new TaskEngineSettings(
                workers,
                retry,
                categories,
                shutdownTimeout,
                retention,
                cleanupInterval,
                queueCapacity,
                priorityAging,
                schedules,
                retentionMode);
    }

    public TaskEngineSettings withRetention(Duration retention, Duration cleanupInterval) {
        return new TaskEngineSettings(
                workers,
                retry,
                categories,
                shutdownTimeout,
                retention,
                cleanupInterval,
                queueCapacity,
                priorityAging,
                schedules,
                retentionMode);
    }

    public TaskEngineSettings withRetentionMode(RetentionMode retentionMode) {
        return new TaskEngineSettings(
                workers,
                retry,
                categories,
                shutdownTimeout,
                retention,
                cleanupInterval,
                queueCapacity,
                priorityAging,
                schedules,
                retentionMode);
    }

    public TaskEngineSettings withQueueCapacity(int queueCapacity) {
        return new TaskEngineSettings(
                workers,
                retry,
                categories,
                shutdownTimeout,
                retention,
                cleanupInterval,
                queueCapacity,
                priorityAging,
                schedules,
                retentionMode);
    }

    public TaskEngineSettings withPriorityAging(Duration priorityAging) {
        return new TaskEngineSettings(
                workers,
                retry,
                categories,
                shutdownTimeout,
                retention,
                cleanupInterval,
                queueCapacity,
                priorityAging,
                schedules,
                retentionMode);
    }

    public TaskEngineSettings withSchedule(String taskName, ScheduleOverride schedule) {
        Map<String, ScheduleOverride> all = new TreeMap<>(schedules);
        all.put(taskName, schedule);
        return new TaskEngineSettings(
                workers,
                retry,
                categories,
                shutdownTimeout,
                retention,
                cleanupInterval,
                queueCapacity,
                priorityAging,
                all,
                retentionMode);
    }

    /**
     * Overrides for one category; {@code null} keeps the global setting.
     *
     * @param workers the category's workers
     * @param retry the category's backoff
     * @param queueCapacity the most unfinished tasks of the category; 0 for no limit
     * @param rate the most task starts per period, or {@code null} for no limit
     * @param maxWait the target for the age of the category's oldest waiting task (health turns overdue past it), or
     *     {@code null} for none
     */
    public record CategorySettings(
            Integer workers, RetryPolicy retry, Integer queueCapacity, RateLimit rate, Duration maxWait) {

        public CategorySettings(Integer workers, RetryPolicy retry, Integer queueCapacity, RateLimit rate) {
            this(workers, retry, queueCapacity, rate, null);
        }

        public CategorySettings(Integer workers, RetryPolicy retry) {
            this(workers, retry, null, null, null);
        }
    }

    /**
     * A property's override of a task's schedule.
     *
     * @param cron the cron expression; {@code "-"} switches the schedule off
     * @param zone the time zone, or {@code null} for the declaration's (UTC when it names none)
     */
    public record ScheduleOverride(String cron, String zone) {}
}
