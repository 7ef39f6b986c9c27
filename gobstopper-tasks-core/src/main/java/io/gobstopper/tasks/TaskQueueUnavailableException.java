package io.gobstopper.tasks;

/** The task system cannot take the request now: it is switched off, stopping, or its store fails. */
public class TaskQueueUnavailableException extends TaskException {

    private static final long serialVersionUID = 1L;

    public TaskQueueUnavailableException(String message) {
        super(message);
    }

    public TaskQueueUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
