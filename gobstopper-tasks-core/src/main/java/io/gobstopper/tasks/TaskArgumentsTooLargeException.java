package io.gobstopper.tasks;

/** A submit whose arguments, written as JSON, are larger than a task may carry; over HTTP a 413. */
public class TaskArgumentsTooLargeException extends InvalidTaskArgumentsException {

    private static final long serialVersionUID = 1L;

    public TaskArgumentsTooLargeException(String message) {
        super(message);
    }
}
