package io.gobstopper.tasks.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.boot.dashboard.TasksDashboard;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.servlet.function.RouterFunction;

class GobstopperTasksDashboardAutoConfigurationTests {

    private static final AutoConfigurations TASKS = AutoConfigurations.of(
            JacksonAutoConfiguration.class,
            GobstopperTasksAutoConfiguration.class,
            GobstopperTasksWebAutoConfiguration.class,
            GobstopperTasksDashboardAutoConfiguration.class);

    @TempDir
    Path dir;

    private final WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(TASKS);

    private String[] enabled() {
        return new String[] {
            "gobstopper.tasks.enabled=true",
            "gobstopper.tasks.duckdb.path=" + dir.resolve("t.duckdb"),
            "gobstopper.tasks.shutdown-timeout=5s"
        };
    }

    @Test
    void servesTheDashboardAtItsDefaultPathInAServletWebApplication() {
        web.withPropertyValues(enabled()).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(TasksDashboard.class);
            assertThat(context.getBean(TasksDashboard.class).path()).isEqualTo("/gobstopper");
            assertThat(context.getBean(TasksDashboard.class).chartVersion())
                    .as("the Chart.js WebJar")
                    .isNotBlank();
        });
    }

    @Test
    void servesTheDashboardAtTheConfiguredPath() {
        web.withPropertyValues(enabled())
                .withPropertyValues("gobstopper.tasks.dashboard.path=/ops/tasks")
                .run(context ->
                        assertThat(context.getBean(TasksDashboard.class).path()).isEqualTo("/ops/tasks"));
    }

    @Test
    void backsOffWhenTheDashboardIsSwitchedOff() {
        web.withPropertyValues(enabled())
                .withPropertyValues("gobstopper.tasks.dashboard.enabled=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(TasksDashboard.class);
                });
    }

    @Test
    void backsOffWhenTheRestApiItDrivesIsSwitchedOff() {
        web.withPropertyValues(enabled())
                .withPropertyValues("gobstopper.tasks.web.enabled=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(TasksDashboard.class);
                });
    }

    @Test
    void backsOffInANonWebApplication() {
        new ApplicationContextRunner()
                .withConfiguration(TASKS)
                .withPropertyValues(enabled())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(TasksDashboard.class);
                });
    }

    @Test
    void backsOffWhenFunctionalSpringMvcIsNotOnTheClassPath() {
        web.withClassLoader(new FilteredClassLoader(RouterFunction.class))
                .withPropertyValues(enabled())
                .run(context -> assertThat(context).doesNotHaveBean(TasksDashboard.class));
    }

    @Test
    void aBadPathStopsStartupNamingTheProperty() {
        web.withPropertyValues(enabled())
                .withPropertyValues("gobstopper.tasks.dashboard.path=gobstopper/")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                            .hasMessageContaining("gobstopper.tasks.dashboard.path");
                });
    }

    @Test
    void keepsADashboardTheApplicationDefines() {
        web.withPropertyValues(enabled())
                .withBean("myDashboard", TasksDashboard.class, () -> new TasksDashboard("/mine", "/api/tasks", true))
                .run(context -> {
                    assertThat(context).hasSingleBean(TasksDashboard.class);
                    assertThat(context.getBean(TasksDashboard.class).path()).isEqualTo("/mine");
                });
    }
}
