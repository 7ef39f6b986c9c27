package io.gobstopper.tasks.boot.autoconfigure;

import io.gobstopper.tasks.InvalidTaskDefinitionException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a {@code @BackgroundTask} declaration that cannot be registered. */
final class TaskDefinitionFailureAnalyzer extends AbstractFailureAnalyzer<InvalidTaskDefinitionException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidTaskDefinitionException cause) {
        return new FailureAnalysis(
                "A @BackgroundTask could not be registered: " + cause.getMessage(),
                "Fix the @BackgroundTask declaration named above.",
                cause);
    }
}
