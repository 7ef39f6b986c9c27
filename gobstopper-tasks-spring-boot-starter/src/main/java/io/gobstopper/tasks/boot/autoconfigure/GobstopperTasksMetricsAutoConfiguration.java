package io.gobstopper.tasks.boot.autoconfigure;

import io.gobstopper.tasks.TaskQueue;
import io.gobstopper.tasks.boot.metrics.TaskMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** Micrometer meters for the task system, when a {@link MeterRegistry} is present. */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
        })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBooleanProperty("gobstopper.tasks.enabled")
@ConditionalOnBean(MeterRegistry.class)
public final class GobstopperTasksMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TaskMetrics gobstopperTaskMetrics(MeterRegistry registry, ObjectProvider<TaskQueue> queue) {
        return new TaskMetrics(registry, queue::getObject);
    }
}
