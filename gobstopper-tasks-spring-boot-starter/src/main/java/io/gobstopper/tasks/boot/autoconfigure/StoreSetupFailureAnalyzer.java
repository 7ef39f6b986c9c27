package io.gobstopper.tasks.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a task store that cannot be set up: its module or driver missing, no DataSource, no pool for its own
 * database.
 */
final class StoreSetupFailureAnalyzer extends AbstractFailureAnalyzer<StoreSetupException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StoreSetupException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
