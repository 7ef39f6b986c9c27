package io.gobstopper.tasks.boot.autoconfigure;

import io.gobstopper.tasks.TaskQueue;
import io.gobstopper.tasks.engine.DisabledTaskQueue;
import io.gobstopper.tasks.engine.TaskEngine;
import io.gobstopper.tasks.engine.TaskEngineSettings;
import io.gobstopper.tasks.engine.TaskRegistry;
import io.gobstopper.tasks.event.TaskListener;
import java.time.Duration;
import java.time.InstantSource;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The task engine, when {@code gobstopper.tasks.enabled=true}, on the store {@code gobstopper.tasks.store} names (a
 * DuckDB file by default, or PostgreSQL shared by several instances); otherwise a switched-off {@link TaskQueue} that
 * creates nothing. Backs off when the application defines its own {@link TaskQueue}.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
@EnableConfigurationProperties(GobstopperTasksProperties.class)
public final class GobstopperTasksAutoConfiguration {

    /**
     * How long a task's changed state (started, progress, ended) may wait before it is written, so that changes
     * share transactions; a crash loses only changes younger than this, and their tasks run again.
     */
    static final Duration WRITE_DELAY = Duration.ofMillis(50);

    static final String ENABLE_HINT = "Set gobstopper.tasks.enabled=true to switch it on.";

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty("gobstopper.tasks.enabled")
    @ConditionalOnMissingBean(TaskQueue.class)
    static class EngineConfiguration {

        @Bean
        @ConditionalOnMissingBean
        TaskRegistry gobstopperTaskRegistry(ObjectProvider<JsonMapper> jsonMapper) {
            return new TaskRegistry(jsonMapper.getIfAvailable(JsonMapper::new));
        }

        @Bean
        static BackgroundTaskRegistrar gobstopperBackgroundTaskRegistrar(ObjectProvider<TaskRegistry> registry) {
            return new BackgroundTaskRegistrar(registry);
        }

        @Bean
        TaskStoreFactory gobstopperTaskStoreFactory(GobstopperTasksProperties properties,
                ObjectProvider<DataSource> dataSources, ResourceLoader resourceLoader) {
            return new TaskStoreFactory(properties, dataSources, resourceLoader.getClassLoader());
        }

        @Bean
        TaskEngine gobstopperTaskEngine(
                TaskRegistry registry,
                GobstopperTasksProperties properties,
                TaskStoreFactory storeFactory,
                ObjectProvider<JsonMapper> jsonMapper,
                ObjectProvider<TaskListener> listeners) {
            TaskEngineSettings settings = EngineSettingsFactory.create(properties);
            return new TaskEngine(registry, storeFactory.create(), settings,
                    jsonMapper.getIfAvailable(JsonMapper::new), listeners.orderedStream().toList(),
                    InstantSource.system());
        }

        @Bean
        TaskEngineLifecycle gobstopperTaskEngineLifecycle(TaskEngine engine) {
            return new TaskEngineLifecycle(engine);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "gobstopper.tasks.enabled", havingValue = false, matchIfMissing = true)
    static class DisabledConfiguration {

        @Bean
        @ConditionalOnMissingBean
        TaskQueue gobstopperDisabledTaskQueue() {
            return new DisabledTaskQueue(ENABLE_HINT);
        }
    }
}
