package io.gobstopper.tasks.boot.autoconfigure;

import io.gobstopper.tasks.boot.dashboard.TasksDashboard;
import io.gobstopper.tasks.boot.web.TasksController;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.function.RouterFunction;

/**
 * The live dashboard page under {@code gobstopper.tasks.dashboard.path}, on top of the REST API it reads and drives.
 */
@AutoConfiguration(after = GobstopperTasksWebAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(RouterFunction.class)
@ConditionalOnBooleanProperty(name = "gobstopper.tasks.dashboard.enabled", matchIfMissing = true)
@ConditionalOnBean(TasksController.class)
public final class GobstopperTasksDashboardAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TasksDashboard gobstopperTasksDashboard(GobstopperTasksProperties properties) {
        String path = GobstopperTasksWebAutoConfiguration.path(
                "gobstopper.tasks.dashboard.path", properties.getDashboard().getPath(), "/gobstopper");
        return new TasksDashboard(
                path, GobstopperTasksWebAutoConfiguration.basePath(properties), properties.webReadOnly());
    }
}
