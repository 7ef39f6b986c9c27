package io.gobstopper.tasks;

/** The task system is switched off; the message names the property that switches it on. */
public class TasksDisabledException extends TaskQueueUnavailableException {

    private static final long serialVersionUID = 1L;

    public TasksDisabledException(String message) {
        super(message);
    }
}
