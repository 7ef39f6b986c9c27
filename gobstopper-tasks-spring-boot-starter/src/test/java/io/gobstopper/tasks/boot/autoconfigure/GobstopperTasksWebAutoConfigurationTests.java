package io.gobstopper.tasks.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.DisabledTaskQueue;
import io.gobstopper.tasks.TaskQueue;
import io.gobstopper.tasks.boot.json.TaskJsonView;
import io.gobstopper.tasks.boot.web.TaskEventBroadcaster;
import io.gobstopper.tasks.boot.web.TaskEventsController;
import io.gobstopper.tasks.boot.web.TasksController;
import io.gobstopper.tasks.boot.web.TasksProblemResolver;
import io.gobstopper.tasks.engine.TaskEngine;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.web.servlet.DispatcherServlet;

class GobstopperTasksWebAutoConfigurationTests {

    private static final AutoConfigurations TASKS = AutoConfigurations.of(
            JacksonAutoConfiguration.class,
            GobstopperTasksAutoConfiguration.class,
            GobstopperTasksWebAutoConfiguration.class);

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
    void servesTheRestApiInAServletWebApplication() {
        web.withPropertyValues(enabled()).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(TasksController.class);
            assertThat(context).hasSingleBean(TasksProblemResolver.class);
            assertThat(context).hasSingleBean(TaskJsonView.class);
        });
    }

    @Test
    void servesTheRestApiWhenSwitchedOffSoThatItCanAnswer503() {
        web.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(TaskQueue.class)).isInstanceOf(DisabledTaskQueue.class);
            assertThat(context).hasSingleBean(TasksController.class);
            assertThat(context).hasSingleBean(TasksProblemResolver.class);
        });
    }

    @Test
    void backsOffWhenTheRestApiIsSwitchedOff() {
        web.withPropertyValues(enabled())
                .withPropertyValues("gobstopper.tasks.web.enabled=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(TaskQueue.class);
                    assertThat(context).doesNotHaveBean(TasksController.class);
                    assertThat(context).doesNotHaveBean(TasksProblemResolver.class);
                });
    }

    @Test
    void backsOffInANonWebApplication() {
        new ApplicationContextRunner()
                .withConfiguration(TASKS)
                .withPropertyValues(enabled())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(TaskQueue.class);
                    assertThat(context).doesNotHaveBean(TasksController.class);
                    assertThat(context).doesNotHaveBean(TasksProblemResolver.class);
                });
    }

    @Test
    void backsOffWhenSpringMvcIsNotOnTheClassPath() {
        web.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
                .withPropertyValues(enabled())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(TaskQueue.class);
                    assertThat(context).doesNotHaveBean(TasksController.class);
                    assertThat(context).doesNotHaveBean(TasksProblemResolver.class);
                });
    }

    @Test
    void keepsAControllerTheApplicationDefines() {
        web.withPropertyValues(enabled())
                .withBean(
                        "myController",
                        TasksController.class,
                        () -> new TasksController(
                                new DisabledTaskQueue("mine"),
                                new TaskJsonView(java.time.InstantSource.system()),
                                "/mine",
                                1024))
                .run(context -> {
                    assertThat(context).hasSingleBean(TasksController.class);
                    assertThat(context).hasBean("myController");
                });
    }

    @Test
    @SuppressWarnings("unchecked")
    void servesTheEventStreamAndPassesItsListenerToTheEngine() {
        web.withPropertyValues(enabled()).run(context -> {
            assertThat(context).hasSingleBean(TaskEventsController.class);
            assertThat(context).hasSingleBean(TaskEventBroadcaster.class);
            assertThat((java.util.List<Object>) ReflectionTestUtils.getField(
                            ReflectionTestUtils.getField(context.getBean(TaskEngine.class), "events"), "listeners"))
                    .contains(context.getBean(TaskEventBroadcaster.class));
        });
    }

    @Test
    void backsOffTheEventStreamWhenItIsSwitchedOff() {
        web.withPropertyValues(enabled())
                .withPropertyValues("gobstopper.tasks.web.events.enabled=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(TasksController.class);
                    assertThat(context).doesNotHaveBean(TaskEventsController.class);
                    assertThat(context).doesNotHaveBean(TaskEventBroadcaster.class);
                });
    }
}
