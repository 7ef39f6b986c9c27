package io.gobstopper.tasks;

import java.time.Duration;

/**
 * The task store is away (its database cannot be reached): the request was refused at once instead of waiting for
 * it, and nothing was stored. Try again after {@link #retryAfter()}; the store is probed in the background and takes
 * requests again as soon as it answers.
 */
public class TaskStoreUnavailableException extends TaskStoreException {

    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;

    public TaskStoreUnavailableException(String message, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** How long a client should wait before trying again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
