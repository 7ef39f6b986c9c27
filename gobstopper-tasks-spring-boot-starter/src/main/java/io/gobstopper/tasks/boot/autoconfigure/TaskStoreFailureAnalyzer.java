package io.gobstopper.tasks.boot.autoconfigure;

import io.gobstopper.tasks.TaskStoreException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a task store that could not be opened: a DuckDB file another instance holds or that cannot be created, a
 * PostgreSQL database that cannot be reached, a node id that a running instance uses.
 */
final class TaskStoreFailureAnalyzer extends AbstractFailureAnalyzer<TaskStoreException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, TaskStoreException cause) {
        String message = String.valueOf(cause.getMessage());
        String action;
        if (message.contains("in use by another process")) {
            action = "Stop the other instance, or give this one its own file with gobstopper.tasks.duckdb.path. "
                    + "To run several instances on the same tasks, use gobstopper.tasks.store=postgres.";
        } else if (message.startsWith("Node id")) {
            action = "Give this instance another gobstopper.tasks.postgres.node-id, or leave it unset (host name and "
                    + "process id); or stop the other instance.";
        } else if (message.contains("newer gobstopper-tasks")) {
            action = "Upgrade gobstopper-tasks on this instance too, or give it another schema with "
                    + "gobstopper.tasks.postgres.schema.";
        } else if (message.contains("task schema")) {
            action = "Check that PostgreSQL answers at the URL named above (spring.datasource.url, or "
                    + "gobstopper.tasks.postgres.datasource.url for the store's own pool), and that its user may "
                    + "create the schema gobstopper.tasks.postgres.schema names and tables in it.";
        } else {
            action = "Check that gobstopper.tasks.duckdb.path names a file this application can create and write.";
        }
        return new FailureAnalysis("The task system could not open its database: " + message, action, cause);
    }
}
