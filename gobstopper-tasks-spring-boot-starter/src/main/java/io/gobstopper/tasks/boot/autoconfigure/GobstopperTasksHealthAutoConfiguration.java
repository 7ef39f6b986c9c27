package io.gobstopper.tasks.boot.autoconfigure;

import io.gobstopper.tasks.TaskQueue;
import io.gobstopper.tasks.boot.actuate.TasksHealthIndicator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code tasks} component of {@code /actuator/health}, while the task system is switched on. */
@AutoConfiguration(after = GobstopperTasksAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnEnabledHealthIndicator.class)
@ConditionalOnBooleanProperty("gobstopper.tasks.enabled")
@ConditionalOnBean(TaskQueue.class)
@ConditionalOnEnabledHealthIndicator("tasks")
public final class GobstopperTasksHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "tasksHealthIndicator")
    TasksHealthIndicator tasksHealthIndicator(
            TaskQueue queue, GobstopperTasksProperties properties, ObjectProvider<TaskStoreFactory> stores) {
        String overdueStatus = properties.getHealth().getOverdueStatus();
        if (overdueStatus == null || overdueStatus.isBlank()) {
            throw new InvalidConfigurationPropertyValueException(
                    "gobstopper.tasks.health.overdue-status",
                    overdueStatus,
                    "Give the health status of an overdue category, such as DEGRADED or DOWN.");
        }
        TaskStoreFactory store = stores.getIfAvailable();
        return new TasksHealthIndicator(queue, overdueStatus, store == null ? null : store.nodeId());
    }
}
