package io.gobstopper.tasks;

import java.util.UUID;

/** No task has the given id (it never existed, or it was deleted). */
public class TaskNotFoundException extends TaskException {

    private static final long serialVersionUID = 1L;

    public TaskNotFoundException(UUID id) {
        super("No task with id " + id);
    }
}
