package io.gobstopper.tasks;

import java.util.List;

/**
 * A registered task, as applications and tools see it.
 *
 * @param name the task name
 * @param category its default category
 * @param priority its default priority
 * @param maxRetries its default retries
 * @param method the method that runs it ({@code com.example.Mailer#send(String, String)})
 * @param exposed whether HTTP clients may submit it
 * @param aliases its former names, whose stored tasks it runs (see {@link BackgroundTask#aliases()})
 */
public record TaskDescriptor(
        String name,
        String category,
        TaskPriority priority,
        int maxRetries,
        String method,
        boolean exposed,
        List<String> aliases) {

    public TaskDescriptor {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }

    /**
     * A task without aliases.
     *
     * @deprecated use the canonical constructor, which takes the aliases
     */
    @Deprecated
    public TaskDescriptor(
            String name, String category, TaskPriority priority, int maxRetries, String method, boolean exposed) {
        this(name, category, priority, maxRetries, method, exposed, List.of());
    }
}
