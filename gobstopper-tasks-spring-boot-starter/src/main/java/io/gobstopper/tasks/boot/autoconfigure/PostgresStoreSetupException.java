package io.gobstopper.tasks.boot.autoconfigure;

/** The postgres task store cannot be set up as configured; {@link PostgresStoreFailureAnalyzer} explains it. */
final class PostgresStoreSetupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String action;

    PostgresStoreSetupException(String description, String action) {
        super(description);
        this.action = action;
    }

    /** What to change. */
    String action() {
        return action;
    }
}
