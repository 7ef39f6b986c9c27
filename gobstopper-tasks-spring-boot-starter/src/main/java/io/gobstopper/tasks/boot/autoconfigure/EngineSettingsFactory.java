package io.gobstopper.tasks.boot.autoconfigure;

import io.gobstopper.tasks.engine.TaskEngineSettings;
import io.gobstopper.tasks.retry.RetryPolicy;
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
        TaskEngineSettings settings = TaskEngineSettings.DEFAULTS
                .withWorkers(properties.getWorkers())
                .withRetry(globalRetry)
                .withShutdownTimeout(properties.getShutdownTimeout())
                .withRetention(properties.getRetention(), TaskEngineSettings.DEFAULT_CLEANUP_INTERVAL);
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
            RetryPolicy categoryRetry = !own.isSet() ? null : retry(prefix + "retry",
                    own.getInitialDelay() != null ? own.getInitialDelay() : globalRetry.initialDelay(),
                    own.getMultiplier() != null ? own.getMultiplier() : globalRetry.multiplier(),
                    own.getMaxDelay() != null ? own.getMaxDelay() : globalRetry.maxDelay());
            TaskEngineSettings.CategorySettings categorySettings =
                    new TaskEngineSettings.CategorySettings(category.getWorkers(), categoryRetry);
            TaskEngineSettings before = settings;
            settings = check("categories." + name, name, () -> before.withCategory(name, categorySettings));
        }
        return settings;
    }

    /**
     * The backoff, each value checked by the engine's own rules on its own, so a refusal names the one property
     * at fault ({@code gobstopper.tasks.retry.multiplier}, not just {@code gobstopper.tasks.retry}).
     */
    private static RetryPolicy retry(String name, Duration initialDelay, double multiplier, Duration maxDelay) {
        check(name + ".initial-delay", initialDelay, () -> new RetryPolicy(initialDelay, 1.0, initialDelay));
        check(name + ".multiplier", multiplier,
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
