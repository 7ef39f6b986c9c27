package io.gobstopper.tasks.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.TaskQueue;
import io.gobstopper.tasks.boot.actuate.TasksEndpoint;
import io.gobstopper.tasks.boot.actuate.TasksHealthIndicator;
import io.gobstopper.tasks.boot.metrics.TaskMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.node.ObjectNode;

class GobstopperTasksActuatorAutoConfigurationTests {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    JacksonAutoConfiguration.class,
                    GobstopperTasksAutoConfiguration.class,
                    GobstopperTasksEndpointAutoConfiguration.class,
                    GobstopperTasksHealthAutoConfiguration.class,
                    GobstopperTasksMetricsAutoConfiguration.class))
            .withUserConfiguration(Tasks.class);

    private String[] enabled() {
        return new String[] {
            "gobstopper.tasks.enabled=true",
            "gobstopper.tasks.duckdb.path=" + dir.resolve("t.duckdb"),
            "gobstopper.tasks.shutdown-timeout=5s"
        };
    }

    // ---- the tasks endpoint ----

    @Test
    void providesTheTasksEndpointWhenItIsExposed() {
        runner.withPropertyValues(enabled())
                .withPropertyValues("management.endpoints.web.exposure.include=tasks")
                .run(context -> {
                    assertThat(context).hasSingleBean(TasksEndpoint.class);
                    ObjectNode overview = context.getBean(TasksEndpoint.class).tasks();
                    assertThat(overview.path("enabled").asBoolean()).isTrue();
                    assertThat(overview.path("store").asString()).isEqualTo("duckdb");
                    assertThat(overview.path("registeredTasks")
                                    .get(0)
                                    .path("name")
                                    .asString())
                            .isEqualTo("ping");
                    assertThat(overview.path("registeredTasks")
                                    .get(0)
                                    .path("aliases")
                                    .get(0)
                                    .asString())
                            .isEqualTo("old_ping");
                    assertThat(overview.path("unrunnable").isArray()).isTrue();
                    assertThat(overview.path("nodes").size())
                            .as("this instance alone on DuckDB")
                            .isEqualTo(1);
                    assertThat(overview.path("nodes").get(0).path("self").asBoolean())
                            .isTrue();
                });
    }

    @Test
    void providesTheTasksEndpointWhileSwitchedOffShowingThatItIsOff() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=tasks")
                .run(context -> {
                    assertThat(context).hasSingleBean(TasksEndpoint.class);
                    assertThat(context.getBean(TasksEndpoint.class)
                                    .tasks()
                                    .path("enabled")
                                    .asBoolean(true))
                            .isFalse();
                    assertThat(context.getBean(TasksEndpoint.class)
                                    .tasks()
                                    .path("nodes")
                                    .isArray())
                            .isTrue();
                });
    }

    @Test
    void backsOffWhenTheTasksEndpointIsNotExposed() {
        runner.withPropertyValues(enabled())
                .withPropertyValues("management.endpoints.web.exposure.include=health")
                .run(context -> assertThat(context).doesNotHaveBean(TasksEndpoint.class));
    }

    @Test
    void backsOffWhenAccessToTheTasksEndpointIsNone() {
        runner.withPropertyValues(enabled())
                .withPropertyValues(
                        "management.endpoints.web.exposure.include=tasks", "management.endpoint.tasks.access=NONE")
                .run(context -> assertThat(context).doesNotHaveBean(TasksEndpoint.class));
    }

    @Test
    void backsOffWhenActuatorIsNotOnTheClassPath() {
        runner.withClassLoader(new FilteredClassLoader(ConditionalOnAvailableEndpoint.class))
                .withPropertyValues(enabled())
                .withPropertyValues("management.endpoints.web.exposure.include=tasks")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(TaskQueue.class);
                    assertThat(context).doesNotHaveBean(TasksEndpoint.class);
                });
    }

    // ---- the health component ----

    @Test
    void providesAHealthIndicatorThatIsUpWithTheStoreAndCategoriesWhenEnabled() {
        runner.withPropertyValues(enabled()).run(context -> {
            assertThat(context).hasSingleBean(TasksHealthIndicator.class);
            assertThat(context).hasBean("tasksHealthIndicator");
            Health health = context.getBean(TasksHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("store", "duckdb").containsKey("categories");
        });
    }

    @Test
    void reportsDownOnceTheEngineHasStopped() {
        runner.withPropertyValues(enabled()).run(context -> {
            TasksHealthIndicator indicator = context.getBean(TasksHealthIndicator.class);
            context.getBean(io.gobstopper.tasks.engine.TaskEngine.class).close();
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("reason")).asString().contains("stopped");
        });
    }

    @Test
    void refusesABlankOverdueStatusNamingTheProperty() {
        runner.withPropertyValues(enabled())
                .withPropertyValues("gobstopper.tasks.health.overdue-status= ")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining("gobstopper.tasks.health.overdue-status"));
    }

    @Test
    void hasNoHealthIndicatorWhenSwitchedOff() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(TasksHealthIndicator.class);
        });
    }

    @Test
    void backsOffTheHealthIndicatorWhenItIsDisabled() {
        runner.withPropertyValues(enabled())
                .withPropertyValues("management.health.tasks.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(TasksHealthIndicator.class));
    }

    @Test
    void backsOffTheHealthIndicatorWhenHealthSupportIsNotOnTheClassPath() {
        runner.withClassLoader(new FilteredClassLoader(ConditionalOnEnabledHealthIndicator.class))
                .withPropertyValues(enabled())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(TasksHealthIndicator.class);
                });
    }

    // ---- metrics ----

    @Test
    void bindsMetricsWhenAMeterRegistryExistsAndCountsCompletedTasks() {
        runner.withPropertyValues(enabled())
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    assertThat(context).hasSingleBean(TaskMetrics.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.find("gobstopper.tasks.workers")
                                    .tag("category", "pings")
                                    .gauge())
                            .as("gauges exist for the categories of registered tasks")
                            .isNotNull();

                    context.getBean(TaskQueue.class).submit("ping");

                    await().atMost(Duration.ofSeconds(20))
                            .untilAsserted(() -> assertThat(registry.find("gobstopper.tasks.completed")
                                            .tags("name", "ping", "category", "pings", "status", "SUCCESS")
                                            .counter())
                                    .isNotNull()
                                    .satisfies(counter ->
                                            assertThat(counter.count()).isEqualTo(1.0)));
                    assertThat(registry.find("gobstopper.tasks.submitted")
                                    .tags("name", "ping", "category", "pings", "priority", "NORMAL")
                                    .counter()
                                    .count())
                            .isEqualTo(1.0);
                    assertThat(registry.find("gobstopper.tasks.execution")
                                    .tags("name", "ping", "category", "pings", "status", "SUCCESS")
                                    .timer()
                                    .count())
                            .isEqualTo(1);
                    assertThat(registry.find("gobstopper.tasks.wait")
                                    .tag("category", "pings")
                                    .timer()
                                    .count())
                            .isEqualTo(1);
                });
    }

    @Test
    void hasNoMetricsWithoutAMeterRegistry() {
        runner.withPropertyValues(enabled()).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(TaskMetrics.class);
        });
    }

    @Test
    void hasNoMetricsWhenSwitchedOff() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(TaskMetrics.class);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Tasks {

        @BackgroundTask(category = "pings", aliases = "old_ping")
        public String ping() {
            return "pong";
        }
    }
}
