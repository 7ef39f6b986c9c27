package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.InvalidTaskDefinitionException;
import io.gobstopper.tasks.TaskDescriptor;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.schedule.CronSchedule;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.ObjectMapper;

/**
 * One registered task: its name, defaults, and the prepared method that runs it.
 *
 * @param name the unique task name
 * @param category the default category
 * @param priority the default priority
 * @param maxRetries the default retries
 * @param noRetryFor exception types that fail the task at once
 * @param exposed whether HTTP clients may submit it
 * @param method the prepared method
 * @param timeout the longest a run may take, or {@code null}
 * @param cron the schedule of a recurring task, or {@code null}
 */
public record TaskDefinition(
        String name,
        String category,
        TaskPriority priority,
        int maxRetries,
        List<Class<? extends Throwable>> noRetryFor,
        boolean exposed,
        TaskMethod method,
        Duration timeout,
        CronSchedule cron) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");
    private static final Pattern CATEGORY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** The most retries a task may ask for. */
    public static final int MAX_RETRIES = 100;

    public TaskDefinition {
        noRetryFor = List.copyOf(noRetryFor);
    }

    /**
     * Reads a {@code @BackgroundTask} declaration.
     *
     * @param bean the object whose method runs the task ({@code null} for a static method)
     * @param declared the annotated method
     * @param invocable the method to call, which may be the proxy's version of {@code declared}
     * @param annotation the declaration
     * @param mapper resolves the parameter types
     * @throws InvalidTaskDefinitionException naming the method and what to fix
     */
    public static TaskDefinition of(
            Object bean, Method declared, Method invocable, BackgroundTask annotation, ObjectMapper mapper) {
        String name = annotation.name().isEmpty() ? declared.getName() : annotation.name();
        String where = "@BackgroundTask on " + declared.getDeclaringClass().getName() + "#" + declared.getName();
        if (!NAME.matcher(name).matches()) {
            throw new InvalidTaskDefinitionException(where + ": name '" + name
                    + "' is invalid; use 1-100 letters, digits, '_', '-', '.' or ':'");
        }
        if (!CATEGORY.matcher(annotation.category()).matches()) {
            throw new InvalidTaskDefinitionException(where + ": category '" + annotation.category()
                    + "' is invalid; use 1-64 letters, digits, '_', '-' or '.'");
        }
        if (annotation.maxRetries() < 0 || annotation.maxRetries() > MAX_RETRIES) {
            throw new InvalidTaskDefinitionException(where + ": maxRetries must be between 0 and " + MAX_RETRIES
                    + ", got " + annotation.maxRetries());
        }
        Duration timeout = null;
        if (!annotation.timeout().isBlank()) {
            try {
                timeout = DurationText.parse(annotation.timeout());
            } catch (IllegalArgumentException ex) {
                throw new InvalidTaskDefinitionException(where + ": timeout " + ex.getMessage());
            }
            if (timeout.isZero()) {
                throw new InvalidTaskDefinitionException(where + ": timeout must be more than zero; leave it empty "
                        + "for no limit");
            }
        }
        CronSchedule cron = null;
        if (!annotation.cron().isBlank()) {
            try {
                cron = CronSchedule.parse(annotation.cron(), annotation.zone());
            } catch (IllegalArgumentException ex) {
                throw new InvalidTaskDefinitionException(where + ": " + ex.getMessage());
            }
        } else if (!annotation.zone().isBlank()) {
            throw new InvalidTaskDefinitionException(where + ": zone is set but cron is not; a zone only applies "
                    + "to a recurring task");
        }
        TaskMethod method = new TaskMethod(name, bean, invocable, declared, mapper);
        return new TaskDefinition(name, annotation.category(), annotation.priority(), annotation.maxRetries(),
                List.of(annotation.noRetryFor()), annotation.exposed(), method, timeout, cron);
    }

    /** Whether a category name is valid: 1-64 letters, digits, '_', '-' or '.'. */
    public static boolean isValidCategory(String category) {
        return category != null && CATEGORY.matcher(category).matches();
    }

    /** Whether this failure ends the task at once. */
    boolean failsFast(Throwable failure) {
        for (Class<? extends Throwable> type : noRetryFor) {
            if (type.isInstance(failure)) {
                return true;
            }
        }
        return false;
    }

    /** How applications and tools see this task. */
    public TaskDescriptor descriptor() {
        return new TaskDescriptor(name, category, priority, maxRetries, method.describe(), exposed);
    }
}
