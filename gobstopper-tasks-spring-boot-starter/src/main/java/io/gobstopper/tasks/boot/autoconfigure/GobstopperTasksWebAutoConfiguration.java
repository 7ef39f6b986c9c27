package io.gobstopper.tasks.boot.autoconfigure;

import io.gobstopper.tasks.TaskQueue;
import io.gobstopper.tasks.boot.json.TaskJsonView;
import io.gobstopper.tasks.boot.web.TasksController;
import io.gobstopper.tasks.boot.web.TasksProblemResolver;
import java.time.InstantSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.web.method.HandlerTypePredicate;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.PathMatchConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The REST API on Spring MVC, under {@code gobstopper.tasks.web.base-path}. */
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
    TasksController gobstopperTasksController(TaskQueue queue, TaskJsonView view, GobstopperTasksProperties properties) {
        return new TasksController(queue, view, basePath(properties), properties.getWeb().getMaxBodySize().toBytes());
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
                configurer.addPathPrefix(basePath, HandlerTypePredicate.forAssignableType(TasksController.class));
            }
        };
    }

    /** The base path, checked: it starts with '/', has no trailing '/', and no spaces or placeholders. */
    static String basePath(GobstopperTasksProperties properties) {
        return checkedPath("gobstopper.tasks.web.base-path", properties.getWeb().getBasePath(), "/api/tasks");
    }

    /** A path property's value, checked like the base path; the example goes into the error message. */
    static String checkedPath(String property, String path, String example) {
        if (path == null || !path.matches("(/[A-Za-z0-9._~-]+)+")) {
            throw new InvalidConfigurationPropertyValueException(property, path,
                    "it must start with '/', not end with '/', and use only letters, digits and . _ ~ - in its "
                            + "segments, e.g. " + example);
        }
        return path;
    }
}
