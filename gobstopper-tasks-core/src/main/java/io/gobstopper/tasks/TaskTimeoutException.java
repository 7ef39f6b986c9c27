package io.gobstopper.tasks;

import java.time.Duration;

/**
 * A run took longer than its task's timeout and was interrupted; it counts as a failed attempt (list it in
 * {@code noRetryFor} to fail such a task at once).
 */
public final class TaskTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TaskTimeoutException(String task, Duration timeout, Throwable stoppedWith) {
        super("Task '" + task + "' timed out after " + timeout.toString().substring(2).toLowerCase()
                + " and was interrupted" + (stoppedWith == null ? "" : " (it stopped with " + stoppedWith + ")"));
    }
}
