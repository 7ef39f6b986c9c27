package io.gobstopper.tasks;

import java.time.Duration;

/**
 * A run took longer than its task's timeout and was interrupted; it counts as a failed attempt (list it in
 * {@code noRetryFor} to fail such a task at once).
 */
public final class TaskTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TaskTimeoutException(String task, Duration timeout, Throwable stoppedWith) {
        super("Task '" + task + "' timed out after " + text(timeout) + " and was interrupted"
                + (stoppedWith == null ? "" : " (it stopped with " + stoppedWith + ")"));
    }

    /** A run that went on regardless of the interrupt, so its worker thread was given up on. */
    public TaskTimeoutException(String task, Duration timeout, Duration ignoredFor) {
        super("Task '" + task + "' timed out after " + text(timeout) + " and did not stop within " + text(ignoredFor)
                + " of being interrupted; its worker thread was abandoned to it and replaced");
    }

    private static String text(Duration duration) {
        return duration.toString().substring(2).toLowerCase();
    }
}
