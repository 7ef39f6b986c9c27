package io.gobstopper.tasks;

/** The base of every exception the task system throws on purpose; its message says what to fix. */
public class TaskException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TaskException(String message) {
        super(message);
    }

    public TaskException(String message, Throwable cause) {
        super(message, cause);
    }
}
