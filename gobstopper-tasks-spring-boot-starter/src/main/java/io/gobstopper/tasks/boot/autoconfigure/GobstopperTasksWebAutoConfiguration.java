package io.gobstopper.tasks.boot.autoconfigure;

import io.gobstopper.tasks.TaskQueue;
import io.gobstopper.tasks.boot.json.TaskJsonView;
import io.gobstopper.tasks.boot.web.TaskEventBroadcaster;
import io.gobstopper.tasks.boot.web.TaskEventsController;
import io.gobstopper.tasks.boot.web.TasksController;
import io.gobstopper.tasks.boot.web.TasksProblemResolver;
import java.time.InstantSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerTypePredicate;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.PathMatchConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The REST API on Spring MVC, under {@code gobstopper.tasks.web.base-path}, with its event stream
 * ({@code gobstopper.tasks.web.events.*}).
 */
@AutoConfiguration(after = GobstopperTasksAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBooleanProperty(name = "gobstopper.tasks.web.enabled", matchIfMissing = true)
@ConditionalOnBean(TaskQueue.class)
public final class GobstopperTasksWebAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TaskJsonView gobstopperTaskJsonView() {
        return new TaskJsonView(InstantSource.system());
    }

    @Bean
    @ConditionalOnMissingBean
    TasksController gobstopperTasksController(
            TaskQueue queue, TaskJsonView view, GobstopperTasksProperties properties) {
        return new TasksController(
                queue,
                view,
                basePath(properties),
                properties.getWeb().getMaxBodySize().toBytes());
    }

    @Bean
    TasksProblemResolver gobstopperTasksProblemResolver(GobstopperTasksProperties properties) {
        return new TasksProblemResolver(basePath(properties));
    }

    @Bean
    WebMvcConfigurer gobstopperTasksPathPrefix(GobstopperTasksProperties properties) {
        String basePath = basePath(properties);
        return new WebMvcConfigurer() {
            @Override
            public void configurePathMatch(PathMatchConfigurer configurer) {
                configurer.addPathPrefix(
                        basePath,
                        HandlerTypePredicate.forAssignableType(TasksController.class, TaskEventsController.class));
            }
        };
    }

    /** The base path, checked: it starts with '/', has no trailing '/', and no spaces or placeholders. */
    static String basePath(GobstopperTasksProperties properties) {
        return path("gobstopper.tasks.web.base-path", properties.getWeb().getBasePath(), "/api/tasks");
    }

    /** A path property, checked: it starts with '/', has no trailing '/', and no spaces or placeholders. */
    static String path(String property, String path, String example) {
        if (path == null || !path.matches("(/[A-Za-z0-9._~-]+)+")) {
            throw new InvalidConfigurationPropertyValueException(
                    property,
                    path,
                    "it must start with '/', not end with '/', and use only letters, digits and . _ ~ - in its "
                            + "segments, e.g. " + example);
        }
        return path;
    }

    /** {@code GET {base-path}/events}: the tasks' life-cycle changes and the stats, as Server-Sent Events. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "gobstopper.tasks.web.events.enabled", matchIfMissing = true)
    static class EventsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        TaskEventBroadcaster gobstopperTaskEventBroadcaster(
                ObjectProvider<TaskQueue> queue, TaskJsonView view, GobstopperTasksProperties properties) {
            // the queue is looked up when stats are due: the engine itself needs this listener to be built
            return new TaskEventBroadcaster(
                    () -> view.stats(queue.getObject().stats()),
                    view,
                    properties.getWeb().getEvents().getBufferSize());
        }

        @Bean
        @ConditionalOnMissingBean
        TaskEventsController gobstopperTaskEventsController(TaskQueue queue, TaskEventBroadcaster broadcaster) {
            return new TaskEventsController(queue, broadcaster);
        }
    }
}
