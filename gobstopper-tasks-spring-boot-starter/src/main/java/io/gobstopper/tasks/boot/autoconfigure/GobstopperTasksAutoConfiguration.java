package io.gobstopper.tasks.boot.autoconfigure;

import io.gobstopper.tasks.DisabledTaskQueue;
import io.gobstopper.tasks.GobstopperTasks;
import io.gobstopper.tasks.ManagedTaskQueue;
import io.gobstopper.tasks.TaskQueue;
import io.gobstopper.tasks.engine.TaskRegistry;
import io.gobstopper.tasks.event.TaskListener;
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
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"
        })
@EnableConfigurationProperties(GobstopperTasksProperties.class)
public final class GobstopperTasksAutoConfiguration {

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
        TaskStoreFactory gobstopperTaskStoreFactory(
                GobstopperTasksProperties properties,
                ObjectProvider<DataSource> dataSources,
                ResourceLoader resourceLoader) {
            return new TaskStoreFactory(properties, dataSources, resourceLoader.getClassLoader());
        }

        @Bean
        ManagedTaskQueue gobstopperTaskEngine(
                TaskRegistry registry,
                GobstopperTasksProperties properties,
                TaskStoreFactory storeFactory,
                ObjectProvider<JsonMapper> jsonMapper,
                ObjectProvider<TaskListener> listeners) {
            return GobstopperTasks.builder()
                    .store(storeFactory.create())
                    .registry(registry)
                    .settings(EngineSettingsFactory.create(properties))
                    .mapper(jsonMapper.getIfAvailable(JsonMapper::new))
                    .listeners(listeners.orderedStream().toList())
                    .build();
        }

        @Bean
        TaskEngineLifecycle gobstopperTaskEngineLifecycle(ManagedTaskQueue engine) {
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
