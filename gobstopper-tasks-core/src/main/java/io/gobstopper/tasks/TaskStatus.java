package io.gobstopper.tasks;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where a task is in its life cycle. */
public enum TaskStatus {
    /** Stored and waiting for a worker of its category. Left by submit, manual retry and recovery at startup. */
    PENDING,
    /** A worker is running it. A task found STARTED at startup was cut off by a crash and runs again. */
    STARTED,
    /** Finished normally; {@code result} holds the return value. Kept until retention or cleanup deletes it. */
    SUCCESS,
    /** Failed with no retries left, or with an exception listed in {@code noRetryFor}. Can be retried by hand. */
    FAILED,
    /** Cancelled before it ran. Can be retried by hand. */
    CANCELLED,
    /** Failed, and waits out its backoff before it runs again; {@code runAt} says when. */
    RETRY;

    /** Whether the task has reached an end state: SUCCESS, FAILED or CANCELLED. */
    public boolean isCompleted() {
        return this == SUCCESS || this == FAILED || this == CANCELLED;
    }

    /**
     * Parses a status name in any case.
     *
     * @throws IllegalArgumentException listing the valid statuses
     */
    public static TaskStatus parse(String text) {
        if (text != null) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ignored) {
                // fall through to the explanatory message
            }
        }
        throw new IllegalArgumentException("Unknown status '" + text + "': use one of "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
}
