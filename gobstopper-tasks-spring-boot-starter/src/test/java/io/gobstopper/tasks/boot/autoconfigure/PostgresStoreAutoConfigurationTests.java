package io.gobstopper.tasks.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.NodeInfo;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskQueue;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.TaskStoreException;
import io.gobstopper.tasks.boot.actuate.TasksEndpoint;
import io.gobstopper.tasks.boot.actuate.TasksHealthIndicator;
import io.gobstopper.tasks.boot.support.FailureAnalyses;
import io.gobstopper.tasks.boot.support.TestPostgres;
import io.gobstopper.tasks.engine.TaskEngine;
import io.gobstopper.tasks.store.SharedTaskStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code gobstopper.tasks.store}: DuckDB unless set to postgres; postgres on the application's single DataSource or on
 * a pool of its own, never a DataSource bean; and every way the setup can be wrong fails startup saying what to set.
 * The postgres cases run against a real PostgreSQL, each in a schema of its own.
 */
@ExtendWith(OutputCaptureExtension.class)
class PostgresStoreAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    JacksonAutoConfiguration.class,
                    GobstopperTasksAutoConfiguration.class,
                    GobstopperTasksEndpointAutoConfiguration.class,
                    GobstopperTasksHealthAutoConfiguration.class))
            .withUserConfiguration(Tasks.class)
            .withPropertyValues(
                    "gobstopper.tasks.shutdown-timeout=5s", "management.endpoints.web.exposure.include=tasks");

    @TempDir
    Path dir;

    private String schema;

    @BeforeEach
    void schema() {
        schema = TestPostgres.newSchema();
    }

    @AfterEach
    void dropSchema() {
        TestPostgres.dropSchema(schema);
    }

    private String[] postgres(String... more) {
        return postgresStore(concat(
                List.of("gobstopper.tasks.postgres.poll-interval=100ms", "gobstopper.tasks.postgres.lease-timeout=2s"),
                more));
    }

    /** The postgres store in this test's schema, with no other postgres setting. */
    private String[] postgresStore(String... more) {
        return concat(
                List.of(
                        "gobstopper.tasks.enabled=true",
                        "gobstopper.tasks.store=postgres",
                        "gobstopper.tasks.postgres.schema=" + schema,
                        "gobstopper.tasks.duckdb.path=" + dir.resolve("tasks.duckdb")),
                more);
    }

    private static String[] concat(List<String> values, String... more) {
        List<String> all = new java.util.ArrayList<>(values);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static TaskInfo awaitEnd(TaskQueue queue, UUID id) {
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        queue.get(id).map(task -> task.status().isCompleted()).orElse(false));
        return queue.get(id).orElseThrow();
    }

    // ---- which store ----

    @Test
    void staysOnDuckDbByDefaultEvenWhenTheApplicationHasAPostgresDataSource() {
        runner.withUserConfiguration(ApplicationDataSource.class)
                .withPropertyValues(
                        "gobstopper.tasks.enabled=true", "gobstopper.tasks.duckdb.path=" + dir.resolve("tasks.duckdb"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    TaskQueue queue = context.getBean(TaskQueue.class);
                    assertThat(queue.health().store()).isEqualTo("duckdb");
                    assertThat(awaitEnd(queue, queue.submit("greet", "Ada")).nodeId())
                            .isNull();
                    assertThat(dir.resolve("tasks.duckdb")).exists();
                    assertThat(TestPostgres.schemaExists(schema))
                            .as("the application's database is not touched")
                            .isFalse();
                    assertThat(context.getBean(TasksHealthIndicator.class)
                                    .health()
                                    .getDetails())
                            .doesNotContainKey("nodeId");
                });
    }

    @Test
    void sharesTheApplicationsDataSourceWhenTheStoreIsPostgres() {
        runner.withUserConfiguration(ApplicationDataSource.class)
                .withPropertyValues(postgres("gobstopper.tasks.postgres.node-id=node-a"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(DataSource.class);
                    TaskQueue queue = context.getBean(TaskQueue.class);
                    assertThat(queue.health().store()).isEqualTo("postgres");
                    assertThat(queue.health().location()).contains(schema);

                    TaskInfo done = awaitEnd(queue, queue.submit("greet", "Ada"));
                    assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
                    assertThat(done.result()).isEqualTo("\"hello Ada\"");
                    assertThat(done.nodeId()).isEqualTo("node-a");
                    assertThat(TestPostgres.count("SELECT count(*) FROM " + schema + ".tasks"))
                            .isEqualTo(1);
                    assertThat(dir).as("no DuckDB file").isEmptyDirectory();

                    assertThat(queue.nodes())
                            .extracting(NodeInfo::nodeId, NodeInfo::self)
                            .containsExactly(org.assertj.core.groups.Tuple.tuple("node-a", true));
                    Health health = context.getBean(TasksHealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails())
                            .containsEntry("store", "postgres")
                            .containsEntry("nodeId", "node-a");
                    ObjectNode overview = context.getBean(TasksEndpoint.class).tasks();
                    assertThat(overview.path("store").asString()).isEqualTo("postgres");
                    assertThat(overview.path("nodes").get(0).path("nodeId").asString())
                            .isEqualTo("node-a");
                    assertThat(overview.path("nodes").get(0).path("self").asBoolean())
                            .isTrue();
                });
    }

    @Test
    void takesTheHostNameAndProcessIdAsNodeIdWhenNoneIsSet() {
        runner.withUserConfiguration(ApplicationDataSource.class)
                .withPropertyValues(postgres())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    TaskQueue queue = context.getBean(TaskQueue.class);
                    String expected = io.gobstopper.tasks.engine.TaskEngine.defaultNodeId();
                    assertThat(queue.nodes()).extracting(NodeInfo::nodeId).containsExactly(expected);
                    assertThat(awaitEnd(queue, queue.submit("greet", "Bob")).nodeId())
                            .isEqualTo(expected);
                });
    }

    @Test
    void buildsAPoolOfItsOwnFromTheDatasourceUrlAndExposesNoDataSourceBean() {
        String applicationName = "gobstopper-" + schema;
        ApplicationContextRunner own = runner.withPropertyValues(postgres(
                "gobstopper.tasks.postgres.datasource.url=" + TestPostgres.url("ApplicationName=" + applicationName)));
        own.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(DataSource.class);
            TaskQueue queue = context.getBean(TaskQueue.class);
            assertThat(queue.health().store()).isEqualTo("postgres");
            assertThat(awaitEnd(queue, queue.submit("greet", "Own")).status()).isEqualTo(TaskStatus.SUCCESS);
            assertThat(TestPostgres.connectionsNamed(applicationName))
                    .as("the store's own pool")
                    .isPositive();
        });
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(TestPostgres.connectionsNamed(applicationName))
                        .as("closed with the context")
                        .isZero());
    }

    @Test
    void prefersItsOwnPoolToTheApplicationsDataSourceWhenTheDatasourceUrlIsSet() {
        runner.withUserConfiguration(H2DataSource.class)
                .withPropertyValues(postgres("gobstopper.tasks.postgres.datasource.url=" + TestPostgres.URL))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(DataSource.class);
                    TaskQueue queue = context.getBean(TaskQueue.class);
                    assertThat(queue.health().location()).contains("jdbc:postgresql:");
                    assertThat(awaitEnd(queue, queue.submit("greet", "Eve")).status())
                            .isEqualTo(TaskStatus.SUCCESS);
                    assertThat(TestPostgres.count("SELECT count(*) FROM " + schema + ".tasks"))
                            .isEqualTo(1);
                });
    }

    // ---- what cannot work ----

    @Test
    void failsStartupNamingBothDataSourcePropertiesWhenThereIsNoDataSource() {
        runner.withPropertyValues(postgres()).run(context -> {
            StoreSetupException failure = setupFailure(context);
            FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
            assertThat(analysis.getDescription())
                    .contains("gobstopper.tasks.store=postgres")
                    .contains("no DataSource bean");
            assertThat(analysis.getAction())
                    .contains("spring.datasource.url")
                    .contains("gobstopper.tasks.postgres.datasource.url");
            assertThat(analysis.getCause()).isSameAs(failure);
            assertThat(TestPostgres.schemaExists(schema)).isFalse();
        });
    }

    @Test
    void failsStartupWhenSeveralDataSourcesExistAndNoneIsPrimary() {
        runner.withUserConfiguration(ApplicationDataSource.class, H2DataSource.class)
                .withPropertyValues(postgres())
                .run(context -> {
                    setupFailure(context);
                    FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("2 DataSource beans and none is @Primary");
                    assertThat(analysis.getAction()).contains("gobstopper.tasks.postgres.datasource.url");
                });
    }

    @Test
    void failsStartupNamingTheDriverWhenThePostgresDriverIsMissing() {
        runner.withClassLoader(new FilteredClassLoader("org.postgresql"))
                .withPropertyValues(postgres("gobstopper.tasks.postgres.datasource.url=" + TestPostgres.URL))
                .run(context -> {
                    setupFailure(context);
                    FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("PostgreSQL JDBC driver");
                    assertThat(analysis.getAction()).contains("org.postgresql:postgresql");
                });
    }

    @Test
    void startsOnDuckDbWithoutThePostgresDriver() {
        runner.withClassLoader(new FilteredClassLoader("org.postgresql"))
                .withPropertyValues(
                        "gobstopper.tasks.enabled=true", "gobstopper.tasks.duckdb.path=" + dir.resolve("tasks.duckdb"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(TaskQueue.class).health().store())
                            .isEqualTo("duckdb");
                });
    }

    @Test
    void failsStartupNamingHikariCpWhenTheOwnPoolCannotBeBuilt() {
        runner.withClassLoader(new FilteredClassLoader("com.zaxxer.hikari"))
                .withPropertyValues(postgres("gobstopper.tasks.postgres.datasource.url=" + TestPostgres.URL))
                .run(context -> {
                    setupFailure(context);
                    FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("gobstopper.tasks.postgres.datasource.url");
                    assertThat(analysis.getAction()).contains("com.zaxxer:HikariCP");
                });
    }

    @Test
    void failsStartupNamingTheStorePropertyAndItsValuesWhenTheValueIsUnknown() {
        runner.withPropertyValues("gobstopper.tasks.enabled=true", "gobstopper.tasks.store=mongodb")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(findCause(context.getStartupFailure(), BindException.class))
                            .isNotNull();
                    FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("gobstopper.tasks.store")
                            .contains("mongodb");
                    assertThat(analysis.getAction()).contains("DUCKDB").contains("POSTGRES");
                });
    }

    @Test
    void acceptsTheStoreNameInAnyCase() {
        runner.withUserConfiguration(ApplicationDataSource.class)
                .withPropertyValues(postgres("gobstopper.tasks.store=POSTGRES"))
                .run(context -> assertThat(
                                context.getBean(TaskQueue.class).health().store())
                        .isEqualTo("postgres"));
    }

    @Test
    void failsStartupNamingTheSchemaPropertyWhenItIsNotAPlainLowerCaseName() {
        assertInvalidProperty(
                "gobstopper.tasks.postgres.schema=Tasks-2026",
                "gobstopper.tasks.postgres.schema",
                "lower-case identifier");
    }

    @Test
    void failsStartupNamingTheSchemaPropertyWhenItIsTooLong() {
        assertInvalidProperty(
                "gobstopper.tasks.postgres.schema=" + "s".repeat(41), "gobstopper.tasks.postgres.schema", "1-40");
    }

    @Test
    void failsStartupNamingTheNodeIdPropertyWhenItHasAColon() {
        assertInvalidProperty(
                "gobstopper.tasks.postgres.node-id=host:8080", "gobstopper.tasks.postgres.node-id", "without ':'");
    }

    @Test
    void failsStartupNamingTheLeaseTimeoutWhenItIsBelowTheMinimum() {
        assertInvalidProperty(
                "gobstopper.tasks.postgres.lease-timeout=50ms", "gobstopper.tasks.postgres.lease-timeout", "100ms");
    }

    @Test
    void failsStartupNamingThePollIntervalWhenItIsBelowTheMinimum() {
        assertInvalidProperty(
                "gobstopper.tasks.postgres.poll-interval=1ms", "gobstopper.tasks.postgres.poll-interval", "10ms");
    }

    @Test
    void failsStartupNamingTheUnavailableTimeoutWhenItIsBelowTheMinimum() {
        assertInvalidProperty(
                "gobstopper.tasks.postgres.unavailable-timeout=100ms",
                "gobstopper.tasks.postgres.unavailable-timeout",
                "250ms");
    }

    @Test
    void failsStartupNamingTheDatasourceUrlWhenItIsNotAPostgresUrl() {
        assertInvalidProperty(
                "gobstopper.tasks.postgres.datasource.url=jdbc:mysql://127.0.0.1/app",
                "gobstopper.tasks.postgres.datasource.url",
                "jdbc:postgresql://");
    }

    @Test
    void failsStartupNamingTheDatasourceUrlWhenOnlyAUserIsSet() {
        assertInvalidProperty(
                "gobstopper.tasks.postgres.datasource.username=tasks",
                "gobstopper.tasks.postgres.datasource.url",
                "must be set when gobstopper.tasks.postgres.datasource.username");
    }

    @Test
    void ignoresThePostgresSettingsOnDuckDb() {
        runner.withPropertyValues(
                        "gobstopper.tasks.enabled=true",
                        "gobstopper.tasks.duckdb.path=" + dir.resolve("tasks.duckdb"),
                        "gobstopper.tasks.postgres.schema=Not-Checked",
                        "gobstopper.tasks.postgres.lease-timeout=1ms")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void failsStartupNamingTheNodeIdPropertyWhenARunningInstanceUsesTheSameNodeId() {
        ApplicationContextRunner same = runner.withUserConfiguration(ApplicationDataSource.class)
                .withPropertyValues(postgres("gobstopper.tasks.postgres.node-id=twin"));
        same.run(first -> {
            assertThat(first).hasNotFailed();
            same.run(second -> {
                assertThat(second).hasFailed();
                TaskStoreException failure = findCause(second.getStartupFailure(), TaskStoreException.class);
                assertThat(failure).isNotNull();
                assertThat(failure.getMessage()).contains("'twin'").contains("in use");
                FailureAnalysis analysis = FailureAnalyses.analyze(second.getStartupFailure());
                assertThat(analysis.getAction()).contains("gobstopper.tasks.postgres.node-id");
            });
        });
    }

    // ---- renamed properties: postgres.*, once node-id, lease-timeout, poll-interval and datasource.* ----

    @Test
    void nodeIdLeaseTimeoutPollIntervalAndDatasourceReachTheStore(CapturedOutput output) {
        assertReachTheStore("gobstopper.tasks.postgres.");
        assertThat(output.getAll()).doesNotContain("deprecated");
    }

    @Test
    void theOldNodeIdLeaseTimeoutPollIntervalAndDatasourceStillReachTheStore(CapturedOutput output) {
        assertReachTheStore("gobstopper.tasks.");
        for (String name : List.of("node-id", "lease-timeout", "poll-interval", "datasource.url")) {
            assertThat(output.getAll())
                    .contains("gobstopper.tasks." + name
                            + " is deprecated and will be removed: rename it to gobstopper.tasks.postgres." + name);
        }
    }

    @Test
    void failsStartupNamingBothWhenLeaseTimeoutAndPostgresLeaseTimeoutDisagree() {
        assertInvalidProperty(
                "gobstopper.tasks.lease-timeout=5s",
                "gobstopper.tasks.lease-timeout",
                "keep only gobstopper.tasks.postgres.lease-timeout");
    }

    @Test
    void failsStartupNamingBothWhenNodeIdAndPostgresNodeIdDisagree() {
        assertInvalidProperty(
                List.of("gobstopper.tasks.node-id=old-name", "gobstopper.tasks.postgres.node-id=new-name"),
                "gobstopper.tasks.node-id",
                "keep only gobstopper.tasks.postgres.node-id");
    }

    /** Node id, lease timeout, poll interval and the store's own pool, all set under {@code prefix}. */
    private void assertReachTheStore(String prefix) {
        String applicationName = "gobstopper-" + schema;
        runner.withUserConfiguration(HeldTask.class)
                .withPropertyValues(postgresStore(
                        prefix + "node-id=renamed-node",
                        prefix + "lease-timeout=10m",
                        prefix + "poll-interval=250ms",
                        prefix + "datasource.url=" + TestPostgres.url("ApplicationName=" + applicationName)))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    TaskEngine engine = context.getBean(TaskEngine.class);
                    assertThat(engine.nodes()).extracting(NodeInfo::nodeId).containsExactly("renamed-node");
                    assertThat(((SharedTaskStore) engine.store()).pollInterval())
                            .isEqualTo(Duration.ofMillis(250));
                    assertThat(TestPostgres.connectionsNamed(applicationName))
                            .as("the store's own pool")
                            .isPositive();

                    UUID id = engine.submit("hold");
                    await().atMost(Duration.ofSeconds(20))
                            .untilAsserted(() -> assertThat(TestPostgres.count(
                                            "SELECT count(*) FROM " + schema + ".tasks WHERE status = 'STARTED' "
                                                    + "AND lease_until > now() + interval '5 minutes'"))
                                    .as("a lease of 10 minutes, not the default 30 seconds")
                                    .isEqualTo(1));
                    context.getBean(HeldTask.class).release.countDown();
                    assertThat(awaitEnd(engine, id).status()).isEqualTo(TaskStatus.SUCCESS);
                });
    }

    private void assertInvalidProperty(String setting, String property, String explanation) {
        assertInvalidProperty(List.of(setting), property, explanation);
    }

    private void assertInvalidProperty(List<String> settings, String property, String explanation) {
        runner.withUserConfiguration(ApplicationDataSource.class)
                .withPropertyValues(postgres(settings.toArray(String[]::new)))
                .run(context -> {
                    assertThat(context).hasFailed();
                    InvalidConfigurationPropertyValueException failure =
                            findCause(context.getStartupFailure(), InvalidConfigurationPropertyValueException.class);
                    assertThat(failure)
                            .as("failure: " + context.getStartupFailure())
                            .isNotNull();
                    assertThat(failure.getName()).isEqualTo(property);
                    assertThat(failure.getMessage()).contains(property).contains(explanation);
                    assertThat(TestPostgres.schemaExists(schema))
                            .as("nothing is created with invalid settings")
                            .isFalse();
                });
    }

    private static StoreSetupException setupFailure(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        StoreSetupException failure = findCause(context.getStartupFailure(), StoreSetupException.class);
        assertThat(failure).as("failure: " + context.getStartupFailure()).isNotNull();
        return failure;
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    // ---- test beans ----

    @Configuration(proxyBeanMethods = false)
    static class Tasks {

        @BackgroundTask
        public String greet(String name) {
            return "hello " + name;
        }
    }

    /** A task that runs until the test releases it. */
    @Configuration(proxyBeanMethods = false)
    static class HeldTask {

        final CountDownLatch release = new CountDownLatch(1);

        @BackgroundTask
        public void hold() throws InterruptedException {
            release.await(20, TimeUnit.SECONDS);
        }
    }

    /** The application's own DataSource, on the test PostgreSQL. */
    @Configuration(proxyBeanMethods = false)
    static class ApplicationDataSource {

        @Bean
        HikariDataSource applicationDataSource() {
            HikariDataSource dataSource = new HikariDataSource();
            dataSource.setJdbcUrl(TestPostgres.URL);
            dataSource.setPoolName("application");
            return dataSource;
        }
    }

    /** An application DataSource that is not PostgreSQL. */
    @Configuration(proxyBeanMethods = false)
    static class H2DataSource {

        @Bean
        DataSource h2DataSource() {
            return new EmbeddedDatabaseBuilder()
                    .setType(EmbeddedDatabaseType.H2)
                    .generateUniqueName(true)
                    .build();
        }
    }
}
