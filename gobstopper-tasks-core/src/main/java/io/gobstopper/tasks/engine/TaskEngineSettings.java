package io.gobstopper.tasks.engine;

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
 */
public record TaskEngineSettings(
        int workers,
        RetryPolicy retry,
        Map<String, CategorySettings> categories,
        Duration shutdownTimeout,
        Duration retention,
        Duration cleanupInterval) {

    /** The most workers one category may have. */
    public static final int MAX_WORKERS = 256;

    public static final int DEFAULT_WORKERS = 2;
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    public static final Duration DEFAULT_CLEANUP_INTERVAL = Duration.ofHours(1);

    /** The defaults: 2 workers, 2 s/2.0/60 s backoff, 30 s shutdown timeout, 30 days retention, hourly cleanup. */
    public static final TaskEngineSettings DEFAULTS = new TaskEngineSettings(DEFAULT_WORKERS, RetryPolicy.DEFAULT,
            Map.of(), DEFAULT_SHUTDOWN_TIMEOUT, DEFAULT_RETENTION, DEFAULT_CLEANUP_INTERVAL);

    public TaskEngineSettings {
        checkWorkers("workers", workers);
        Objects.requireNonNull(retry, "retry must be set");
        categories = new TreeMap<>(categories == null ? Map.of() : categories);
        categories.forEach((name, category) -> {
            if (!TaskDefinition.isValidCategory(name)) {
                throw new IllegalArgumentException("categories." + name
                        + ": the category name is invalid; use 1-64 letters, digits, '_', '-' or '.'");
            }
            if (category.workers() != null) {
                checkWorkers("categories." + name + ".workers", category.workers());
            }
        });
        categories = Map.copyOf(categories);
        requireNotNegative("shutdown-timeout", shutdownTimeout);
        requireNotNegative("retention", retention);
        Objects.requireNonNull(cleanupInterval, "cleanupInterval must be set");
        if (cleanupInterval.isZero() || cleanupInterval.isNegative()) {
            throw new IllegalArgumentException("cleanup interval must be more than zero, got " + cleanupInterval);
        }
    }

    /** Checks a worker count: 0 to {@value #MAX_WORKERS}. */
    public static void checkWorkers(String setting, int workers) {
        if (workers < 0 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException(setting + " must be between 0 and " + MAX_WORKERS + ", got " + workers);
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

    public TaskEngineSettings withWorkers(int workers) {
        return new TaskEngineSettings(workers, retry, categories, shutdownTimeout, retention, cleanupInterval);
    }

    public TaskEngineSettings withRetry(RetryPolicy retry) {
        return new TaskEngineSettings(workers, retry, categories, shutdownTimeout, retention, cleanupInterval);
    }

    public TaskEngineSettings withCategory(String name, CategorySettings category) {
        Map<String, CategorySettings> all = new TreeMap<>(categories);
        all.put(name, category);
        return new TaskEngineSettings(workers, retry, all, shutdownTimeout, retention, cleanupInterval);
    }

    public TaskEngineSettings withShutdownTimeout(Duration shutdownTimeout) {
        return new TaskEngineSettings(workers, retry, categories, shutdownTimeout, retention, cleanupInterval);
    }

    public TaskEngineSettings withRetention(Duration retention, Duration cleanupInterval) {
        return new TaskEngineSettings(workers, retry, categories, shutdownTimeout, retention, cleanupInterval);
    }

    /**
     * Overrides for one category; {@code null} keeps the global setting.
     *
     * @param workers the category's workers
     * @param retry the category's backoff
     */
    public record CategorySettings(Integer workers, RetryPolicy retry) {}
}
