package io.gobstopper.tasks.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.InvalidTaskDefinitionException;
import io.gobstopper.tasks.TaskStoreException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.context.ApplicationContextException;
import org.springframework.core.io.support.SpringFactoriesLoader;

class FailureAnalyzersTests {

    @Test
    void explainsADatabaseFileHeldByAnotherProcessAndPointsToTheDatabasePathProperty() {
        TaskStoreException cause = new TaskStoreException("The task database /data/tasks.duckdb is in use by another "
                + "process (PID 4242). One DuckDB file serves one running instance: stop the other instance, or give "
                + "this one a database file of its own.", new SQLException("IO Error: Could not set lock on file"));
        Throwable failure = new ApplicationContextException("Failed to start bean 'gobstopperTaskEngineLifecycle'", cause);

        FailureAnalysis analysis = new TaskStoreFailureAnalyzer().analyze(failure);

        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("/data/tasks.duckdb").contains("PID 4242");
        assertThat(analysis.getAction()).contains("gobstopper.tasks.database-path").contains("other instance");
        assertThat(analysis.getCause()).isSameAs(cause);
    }

    @Test
    void explainsADatabaseThatCannotBeCreatedAndPointsToTheDatabasePathProperty() {
        TaskStoreException cause = new TaskStoreException(
                "Could not create the folder for the task database /root-only/tasks.duckdb: access denied", null);

        FailureAnalysis analysis = new TaskStoreFailureAnalyzer().analyze(new BeanCreationException("engine", cause));

        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("/root-only/tasks.duckdb");
        assertThat(analysis.getAction()).contains("gobstopper.tasks.database-path");
    }

    @Test
    void explainsAnInvalidDeclarationNamingTheMethods() {
        InvalidTaskDefinitionException cause = new InvalidTaskDefinitionException("Task name 'send' is declared twice: "
                + "by com.example.Mailer#send(String) and by com.example.Sms#send(String). Give one of them another "
                + "name with @BackgroundTask(name = \"...\").");

        FailureAnalysis analysis = new TaskDefinitionFailureAnalyzer().analyze(new BeanCreationException("mailer", cause));

        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("com.example.Mailer#send(String)")
                .contains("com.example.Sms#send(String)");
        assertThat(analysis.getAction()).contains("@BackgroundTask");
        assertThat(analysis.getCause()).isSameAs(cause);
    }

    @Test
    void ignoresFailuresThatAreNotTheirs() {
        Throwable unrelated = new BeanCreationException("other", new IllegalStateException("boom"));

        assertThat(new TaskStoreFailureAnalyzer().analyze(unrelated)).isNull();
        assertThat(new TaskDefinitionFailureAnalyzer().analyze(unrelated)).isNull();
    }

    @Test
    void areRegisteredInSpringFactories() {
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, null, (type, name, failure) -> {
                    // Boot's own analyzers need constructor arguments; only ours matter here
                }))
                .hasAtLeastOneElementOfType(TaskStoreFailureAnalyzer.class)
                .hasAtLeastOneElementOfType(TaskDefinitionFailureAnalyzer.class);
    }
}
