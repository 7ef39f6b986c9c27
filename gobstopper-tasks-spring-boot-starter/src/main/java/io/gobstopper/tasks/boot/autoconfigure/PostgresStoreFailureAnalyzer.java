package io.gobstopper.tasks.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a postgres task store that cannot be set up: no DataSource, no driver, no pool for its own database. */
final class PostgresStoreFailureAnalyzer extends AbstractFailureAnalyzer<PostgresStoreSetupException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PostgresStoreSetupException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
