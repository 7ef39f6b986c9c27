package io.gobstopper.tasks.boot.autoconfigure;

import io.gobstopper.tasks.TaskStoreException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a task database that could not be opened, such as a file another instance holds. */
final class TaskStoreFailureAnalyzer extends AbstractFailureAnalyzer<TaskStoreException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, TaskStoreException cause) {
        String action = cause.getMessage().contains("in use by another process")
                ? "Stop the other instance, or give this one its own file with gobstopper.tasks.database-path."
                : "Check that gobstopper.tasks.database-path names a file this application can create and write.";
        return new FailureAnalysis("The task system could not open its database: " + cause.getMessage(), action, cause);
    }
}
