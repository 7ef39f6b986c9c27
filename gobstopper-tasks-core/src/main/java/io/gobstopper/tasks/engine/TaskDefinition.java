package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.InvalidTaskDefinitionException;
import io.gobstopper.tasks.TaskDescriptor;
import io.gobstopper.tasks.TaskLimits;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.schedule.CronSchedule;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * @param aliases former names whose stored tasks this task runs (see {@link BackgroundTask#aliases()})
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
        CronSchedule cron,
        List<String> aliases) {

    /**
     * The most retries a task may ask for.
     *
     * @deprecated use {@link TaskLimits#MAX_RETRIES}
     */
    @Deprecated
    public static final int MAX_RETRIES = TaskLimits.MAX_RETRIES;

    public TaskDefinition {
        noRetryFor = List.copyOf(noRetryFor);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }

    /**
     * A task without aliases.
     *
     * @deprecated use the canonical constructor, which takes the aliases
     */
    @Deprecated
    public TaskDefinition(
            String name,
            String category,
            TaskPriority priority,
            int maxRetries,
            List<Class<? extends Throwable>> noRetryFor,
            boolean exposed,
            TaskMethod method,
            Duration timeout,
            CronSchedule cron) {
        this(name, category, priority, maxRetries, noRetryFor, exposed, method, timeout, cron, List.of());
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
        if (!TaskLimits.isValidName(name)) {
            throw new InvalidTaskDefinitionException(where + ": " + TaskLimits.nameRefusal(name));
        }
        if (!TaskLimits.isValidCategory(annotation.category())) {
            throw new InvalidTaskDefinitionException(where + ": " + TaskLimits.categoryRefusal(annotation.category()));
        }
        if (!TaskLimits.isValidMaxRetries(annotation.maxRetries())) {
            throw new InvalidTaskDefinitionException(
                    where + ": " + TaskLimits.maxRetriesRefusal(annotation.maxRetries()));
        }
        Duration timeout = null;
        if (!annotation.timeout().isBlank()) {
            try {
                timeout = DurationText.parse(annotation.timeout());
            } catch (IllegalArgumentException ex) {
                throw new InvalidTaskDefinitionException(where + ": timeout " + ex.getMessage());
            }
            if (timeout.isZero()) {
                throw new InvalidTaskDefinitionException(
                        where + ": timeout must be more than zero; leave it empty " + "for no limit");
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
            throw new InvalidTaskDefinitionException(
                    where + ": zone is set but cron is not; a zone only applies " + "to a recurring task");
        }
        List<String> aliases = new ArrayList<>();
        for (String alias : annotation.aliases()) {
            if (!TaskLimits.isValidName(alias)) {
                throw new InvalidTaskDefinitionException(where + ": alias " + TaskLimits.nameRefusal(alias));
            }
            if (alias.equals(name) || aliases.contains(alias)) {
                throw new InvalidTaskDefinitionException(
                        where + ": alias '" + alias + "' is given twice (or is the task's own name); give it once");
            }
            aliases.add(alias);
        }
        TaskMethod method = new TaskMethod(name, bean, invocable, declared, mapper);
        return new TaskDefinition(
                name,
                annotation.category(),
                annotation.priority(),
                annotation.maxRetries(),
                List.of(annotation.noRetryFor()),
                annotation.exposed(),
                method,
                timeout,
                cron,
                aliases);
    }

    /**
     * Whether a category name is valid.
     *
     * @deprecated use {@link TaskLimits#isValidCategory(String)}
     */
    @Deprecated
    public static boolean isValidCategory(String category) {
        return TaskLimits.isValidCategory(category);
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
        return new TaskDescriptor(name, category, priority, maxRetries, method.describe(), exposed, aliases);
    }
}
