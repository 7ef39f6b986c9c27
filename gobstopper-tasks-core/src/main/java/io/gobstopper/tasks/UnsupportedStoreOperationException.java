package io.gobstopper.tasks;

/** Thrown when the configured task store cannot do what was asked, e.g. archiving on a PostgreSQL store. */
public class UnsupportedStoreOperationException extends TaskException {

    private static final long serialVersionUID = 1L;

    public UnsupportedStoreOperationException(String message) {
        super(message);
    }
}
