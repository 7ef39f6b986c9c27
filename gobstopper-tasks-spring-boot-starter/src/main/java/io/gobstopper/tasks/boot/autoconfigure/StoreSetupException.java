package io.gobstopper.tasks.boot.autoconfigure;

/**
 * The configured task store cannot be set up: its module or driver is missing, or it has no DataSource;
 * {@link StoreSetupFailureAnalyzer} explains it.
 */
final class StoreSetupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String action;

    StoreSetupException(String description, String action) {
        super(description);
        this.action = action;
    }

    /** What to change. */
    String action() {
        return action;
    }
}
