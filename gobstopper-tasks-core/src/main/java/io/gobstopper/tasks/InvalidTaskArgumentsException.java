package io.gobstopper.tasks;

/** A submit whose arguments or options do not fit the task; the message names the parameter or option. */
public class InvalidTaskArgumentsException extends TaskException {

    private static final long serialVersionUID = 1L;

    public InvalidTaskArgumentsException(String message) {
        super(message);
    }

    public InvalidTaskArgumentsException(String message, Throwable cause) {
        super(message, cause);
    }
}
