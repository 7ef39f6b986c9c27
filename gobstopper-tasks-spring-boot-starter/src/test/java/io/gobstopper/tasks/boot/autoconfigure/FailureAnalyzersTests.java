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
        TaskStoreException cause = new TaskStoreException(
                "The task database /data/tasks.duckdb is in use by another "
                        + "process (PID 4242). One DuckDB file serves one running instance: stop the other instance, or give "
                        + "this one a database file of its own.",
                new SQLException("IO Error: Could not set lock on file"));
        Throwable failure =
                new ApplicationContextException("Failed to start bean 'gobstopperTaskEngineLifecycle'", cause);

        FailureAnalysis analysis = new TaskStoreFailureAnalyzer().analyze(failure);

        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("/data/tasks.duckdb").contains("PID 4242");
        assertThat(analysis.getAction())
                .contains("gobstopper.tasks.duckdb.path")
                .contains("other instance");
        assertThat(analysis.getCause()).isSameAs(cause);
    }

    @Test
    void explainsADatabaseThatCannotBeCreatedAndPointsToTheDatabasePathProperty() {
        TaskStoreException cause = new TaskStoreException(
                "Could not create the folder for the task database /root-only/tasks.duckdb: access denied", null);

        FailureAnalysis analysis = new TaskStoreFailureAnalyzer().analyze(new BeanCreationException("engine", cause));

        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("/root-only/tasks.duckdb");
        assertThat(analysis.getAction()).contains("gobstopper.tasks.duckdb.path");
    }

    @Test
    void explainsAnInvalidDeclarationNamingTheMethods() {
        InvalidTaskDefinitionException cause = new InvalidTaskDefinitionException("Task name 'send' is declared twice: "
                + "by com.example.Mailer#send(String) and by com.example.Sms#send(String). Give one of them another "
                + "name with @BackgroundTask(name = \"...\").");

        FailureAnalysis analysis =
                new TaskDefinitionFailureAnalyzer().analyze(new BeanCreationException("mailer", cause));

        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription())
                .contains("com.example.Mailer#send(String)")
                .contains("com.example.Sms#send(String)");
        assertThat(analysis.getAction()).contains("@BackgroundTask");
        assertThat(analysis.getCause()).isSameAs(cause);
    }

    @Test
    void explainsANodeIdInUseAndPointsToTheNodeIdProperty() {
        TaskStoreException cause = new TaskStoreException(
                "Node id 'web-1' is in use by another running instance of "
                        + "the shared task store gobstopper (last seen 2026-12-01 10:00:00+00).",
                null);

        FailureAnalysis analysis = new TaskStoreFailureAnalyzer().analyze(new BeanCreationException("engine", cause));

        assertThat(analysis.getDescription()).contains("'web-1'");
        assertThat(analysis.getAction())
                .contains("gobstopper.tasks.postgres.node-id")
                .doesNotContain("duckdb.path");
    }

    @Test
    void explainsAPostgresSchemaThatCannotBePreparedAndPointsToTheDataSourceProperties() {
        TaskStoreException cause = new TaskStoreException(
                "Could not prepare the task schema gobstopper of "
                        + "jdbc:postgresql://db/app: permission denied for database app",
                null);

        FailureAnalysis analysis = new TaskStoreFailureAnalyzer().analyze(new BeanCreationException("engine", cause));

        assertThat(analysis.getDescription()).contains("permission denied");
        assertThat(analysis.getAction())
                .contains("spring.datasource.url")
                .contains("gobstopper.tasks.postgres.datasource.url")
                .contains("gobstopper.tasks.postgres.schema");
    }

    @Test
    void explainsASchemaOfANewerVersion() {
        TaskStoreException cause = new TaskStoreException(
                "The task schema gobstopper in schema gobstopper of "
                        + "jdbc:postgresql://db/app has version 3, written by a newer gobstopper-tasks; this version reads up "
                        + "to 1. Upgrade gobstopper-tasks on this instance too.",
                null);

        FailureAnalysis analysis = new TaskStoreFailureAnalyzer().analyze(new BeanCreationException("engine", cause));

        assertThat(analysis.getAction()).contains("Upgrade").contains("gobstopper.tasks.postgres.schema");
    }

    @Test
    void explainsAPostgresStoreWithoutADataSource() {
        StoreSetupException cause = new StoreSetupException("no DataSource", "Set spring.datasource.url");

        FailureAnalysis analysis = new StoreSetupFailureAnalyzer().analyze(new BeanCreationException("engine", cause));

        assertThat(analysis.getDescription()).isEqualTo("no DataSource");
        assertThat(analysis.getAction()).isEqualTo("Set spring.datasource.url");
        assertThat(analysis.getCause()).isSameAs(cause);
    }

    @Test
    void ignoresFailuresThatAreNotTheirs() {
        Throwable unrelated = new BeanCreationException("other", new IllegalStateException("boom"));

        assertThat(new TaskStoreFailureAnalyzer().analyze(unrelated)).isNull();
        assertThat(new TaskDefinitionFailureAnalyzer().analyze(unrelated)).isNull();
        assertThat(new StoreSetupFailureAnalyzer().analyze(unrelated)).isNull();
    }

    @Test
    void areRegisteredInSpringFactories() {
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
                        .load(FailureAnalyzer.class, null, (type, name, failure) -> {
                            // Boot's own analyzers need constructor arguments; only ours matter here
                        }))
                .hasAtLeastOneElementOfType(TaskStoreFailureAnalyzer.class)
                .hasAtLeastOneElementOfType(TaskDefinitionFailureAnalyzer.class)
                .hasAtLeastOneElementOfType(StoreSetupFailureAnalyzer.class);
    }
}
