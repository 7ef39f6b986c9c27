package io.gobstopper.tasks.store;

import io.gobstopper.tasks.TaskStateException;
import io.gobstopper.tasks.TaskStatus;
import java.util.UUID;

/**
 * The refusals of operations on a task in the wrong state, worded once for every store: each says what the task is and
 * what the operation needs.
 */
public final class Refusals {

    private Refusals() {}

    /** Cancel of a task that has ended. */
    public static TaskStateException cannotCancel(UUID id, TaskStatus status) {
        return new TaskStateException(
                status,
                "Task " + id + " is " + status
                        + " and has already ended: only unfinished tasks (PENDING, RETRY or STARTED) can be cancelled");
    }

    /** Retry of a task that is neither FAILED nor CANCELLED. */
    public static TaskStateException cannotRetry(UUID id, TaskStatus status) {
        return new TaskStateException(
                status, "Task " + id + " is " + status + ": only FAILED or CANCELLED tasks can be retried");
    }

    /** Delete of a task that has not ended. */
    public static TaskStateException cannotDelete(UUID id, TaskStatus status) {
        return new TaskStateException(
                status,
                "Task " + id + " is " + status
                        + ": only ended tasks (SUCCESS, FAILED or CANCELLED) can be deleted; cancel it first");
    }

    /** Retry of a task whose unique key another unfinished task holds. */
    public static TaskStateException uniqueKeyHeld(UUID id, TaskStatus status, UUID holder, String key) {
        return new TaskStateException(
                status,
                "Task " + id + " cannot run again while task " + holder + " with the same unique key '" + key
                        + "' is unfinished");
    }
}
