package io.gobstopper.tasks;

import java.time.Duration;

/**
 * A submit refused because its category already holds as many unfinished tasks as its {@code queue-capacity}
 * allows. Nothing was stored; try again later.
 */
public class QueueFullException extends TaskException {

    private static final long serialVersionUID = 1L;

    private final String category;
    private final int capacity;
    private final transient Duration retryAfter;

    public QueueFullException(String category, int capacity, Duration retryAfter) {
        super("Category '" + category + "' is full: it holds " + capacity + " unfinished tasks, its queue capacity. "
                + "Try again in " + retryAfter.toSeconds() + " s, or raise gobstopper.tasks.categories." + category
                + ".queue-capacity (or gobstopper.tasks.queue-capacity)");
        this.category = category;
        this.capacity = capacity;
        this.retryAfter = retryAfter;
    }

    public String category() {
        return category;
    }

    public int capacity() {
        return capacity;
    }

    /** How long a client should wait before trying again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
