package io.gobstopper.tasks.boot.autoconfigure;

import io.gobstopper.tasks.engine.RateLimit;
import io.gobstopper.tasks.engine.TaskEngineSettings;
import io.gobstopper.tasks.retry.RetryPolicy;
import io.gobstopper.tasks.schedule.CronSchedule;
import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Turns {@link GobstopperTasksProperties} into the engine's settings. The engine checks every value; a value it
 * refuses fails startup naming the full property, its value and the reason.
 */
final class EngineSettingsFactory {

    private static final String PREFIX = "gobstopper.tasks.";

    private EngineSettingsFactory() {}

    static TaskEngineSettings create(GobstopperTasksProperties properties) {
        check("workers", properties.getWorkers(), () -> {
            TaskEngineSettings.checkWorkers(PREFIX + "workers", properties.getWorkers());
            return null;
        });
        GobstopperTasksProperties.Retry retry = properties.getRetry();
        RetryPolicy globalRetry = retry("retry", retry.getInitialDelay(), retry.getMultiplier(), retry.getMaxDelay());
        check("shutdown-timeout", properties.getShutdownTimeout(), () -> notNegative(properties.getShutdownTimeout()));
        check("retention", properties.getRetention(), () -> notNegative(properties.getRetention()));
        check("queue-capacity", properties.getQueueCapacity(), () -> capacity(properties.getQueueCapacity()));
        check("retention-mode", properties.getRetentionMode(), () -> {
            if (properties.getRetentionMode() == TaskEngineSettings.RetentionMode.ARCHIVE
                    && properties.getStore() != GobstopperTasksProperties.Store.DUCKDB) {
                throw new IllegalArgumentException("archiving is DuckDB-only in this release: with store="
                        + properties.getStore().name().toLowerCase(java.util.Locale.ROOT)
                        + " set retention-mode=delete");
            }
            return null;
        });
        check("priority-aging", properties.getPriorityAging(), () -> notNegative(properties.getPriorityAging()));
        TaskEngineSettings settings = TaskEngineSettings.DEFAULTS
                .withWorkers(properties.getWorkers())
                .withRetry(globalRetry)
                .withShutdownTimeout(properties.getShutdownTimeout())
                .withRetention(properties.getRetention(), TaskEngineSettings.DEFAULT_CLEANUP_INTERVAL)
                .withRetentionMode(properties.getRetentionMode())
                .withQueueCapacity(properties.getQueueCapacity())
                .withPriorityAging(properties.getPriorityAging());
        for (var entry : properties.getCategories().entrySet()) {
            String name = entry.getKey();
            GobstopperTasksProperties.Category category = entry.getValue();
            String prefix = "categories." + name + ".";
            if (category.getWorkers() != null) {
                check(prefix + "workers", category.getWorkers(), () -> {
                    TaskEngineSettings.checkWorkers(PREFIX + prefix + "workers", category.getWorkers());
                    return null;
                });
            }
            GobstopperTasksProperties.CategoryRetry own = category.getRetry();
            RetryPolicy categoryRetry = !own.isSet()
                    ? null
                    : retry(
                            prefix + "retry",
                            own.getInitialDelay() != null ? own.getInitialDelay() : globalRetry.initialDelay(),
                            own.getMultiplier() != null ? own.getMultiplier() : globalRetry.multiplier(),
                            own.getMaxDelay() != null ? own.getMaxDelay() : globalRetry.maxDelay());
            if (category.getQueueCapacity() != null) {
                check(
                        prefix + "queue-capacity",
                        category.getQueueCapacity(),
                        () -> capacity(category.getQueueCapacity()));
            }
            RateLimit rate = category.getRate() == null
                    ? null
                    : check(prefix + "rate", category.getRate(), () -> RateLimit.parse(category.getRate()));
            TaskEngineSettings.CategorySettings categorySettings = new TaskEngineSettings.CategorySettings(
                    category.getWorkers(), categoryRetry, category.getQueueCapacity(), rate, category.getMaxWait());
            TaskEngineSettings before = settings;
            settings = check("categories." + name, name, () -> before.withCategory(name, categorySettings));
        }
        for (var entry : properties.getSchedules().entrySet()) {
            String task = entry.getKey();
            GobstopperTasksProperties.Schedule schedule = entry.getValue();
            String prefix = "schedules." + task + ".";
            if (schedule.getCron() != null) {
                check(prefix + "cron", schedule.getCron(), () -> cron(schedule.getCron()));
            }
            if (schedule.getZone() != null) {
                check(prefix + "zone", schedule.getZone(), () -> zone(schedule.getZone()));
            }
            settings = settings.withSchedule(
                    task, new TaskEngineSettings.ScheduleOverride(schedule.getCron(), schedule.getZone()));
        }
        return settings;
    }

    /** A cron expression as the engine reads it (six fields, as {@code @Scheduled}), or {@code "-"} for none. */
    private static Object cron(String cron) {
        return cron.trim().equals("-") ? null : CronSchedule.parse(cron, null);
    }

    private static Object zone(String zone) {
        return CronSchedule.zone(zone);
    }

    private static Object capacity(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("must be 0 (no limit) or more");
        }
        return null;
    }

    /**
     * The backoff, each value checked by the engine's own rules on its own, so a refusal names the one property
     * at fault ({@code gobstopper.tasks.retry.multiplier}, not just {@code gobstopper.tasks.retry}).
     */
    private static RetryPolicy retry(String name, Duration initialDelay, double multiplier, Duration maxDelay) {
        check(name + ".initial-delay", initialDelay, () -> new RetryPolicy(initialDelay, 1.0, initialDelay));
        check(
                name + ".multiplier",
                multiplier,
                () -> new RetryPolicy(Duration.ofSeconds(1), multiplier, Duration.ofSeconds(1)));
        return check(name + ".max-delay", maxDelay, () -> new RetryPolicy(initialDelay, multiplier, maxDelay));
    }

    private static Object notNegative(Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException("must be zero or more");
        }
        return null;
    }

    private static <T> T check(String name, Object value, Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException | NullPointerException ex) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + name, value, ex.getMessage());
        }
    }
}
