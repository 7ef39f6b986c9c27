package io.gobstopper.tasks.boot.autoconfigure;

import io.gobstopper.tasks.TaskQueue;
import io.gobstopper.tasks.boot.actuate.TasksEndpoint;
import io.gobstopper.tasks.boot.json.TaskJsonView;
import java.time.InstantSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code tasks} Actuator endpoint. */
@AutoConfiguration(after = {GobstopperTasksAutoConfiguration.class, GobstopperTasksWebAutoConfiguration.class})
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean(TaskQueue.class)
@ConditionalOnAvailableEndpoint(TasksEndpoint.class)
public final class GobstopperTasksEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TasksEndpoint tasksEndpoint(TaskQueue queue, ObjectProvider<TaskJsonView> view) {
        return new TasksEndpoint(queue, view.getIfAvailable(() -> new TaskJsonView(InstantSource.system())));
    }
}
