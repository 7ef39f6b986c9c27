package io.gobstopper.tasks;

/** A {@code @BackgroundTask} declaration that cannot be registered; the message names the method and the fix. */
public class InvalidTaskDefinitionException extends TaskException {

    private static final long serialVersionUID = 1L;

    public InvalidTaskDefinitionException(String message) {
        super(message);
    }
}
