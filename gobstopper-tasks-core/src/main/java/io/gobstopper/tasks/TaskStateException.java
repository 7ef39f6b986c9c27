package io.gobstopper.tasks;

/** The task exists but its status does not allow the operation; the message says which statuses do. */
public class TaskStateException extends TaskException {

    private static final long serialVersionUID = 1L;

    private final TaskStatus status;

    public TaskStateException(TaskStatus status, String message) {
        super(message);
        this.status = status;
    }

    /** The task's status when the operation was refused. */
    public TaskStatus status() {
        return status;
    }
}
