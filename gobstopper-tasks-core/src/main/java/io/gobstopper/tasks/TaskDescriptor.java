package io.gobstopper.tasks;

/**
 * A registered task, as applications and tools see it.
 *
 * @param name the task name
 * @param category its default category
 * @param priority its default priority
 * @param maxRetries its default retries
 * @param method the method that runs it ({@code com.example.Mailer#send(String, String)})
 * @param exposed whether HTTP clients may submit it
 */
public record TaskDescriptor(
        String name, String category, TaskPriority priority, int maxRetries, String method, boolean exposed) {}
