package io.gobstopper.tasks;

/** The task store could not be opened or written; nothing was half-written. */
public class TaskStoreException extends TaskQueueUnavailableException {

    private static final long serialVersionUID = 1L;

    public TaskStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
