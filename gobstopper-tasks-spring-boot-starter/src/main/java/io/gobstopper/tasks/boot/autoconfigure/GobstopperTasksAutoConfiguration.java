package io.gobstopper.tasks.boot.autoconfigure;

import io.gobstopper.tasks.TaskQueue;
import io.gobstopper.tasks.engine.DisabledTaskQueue;
import io.gobstopper.tasks.engine.TaskEngine;
import io.gobstopper.tasks.engine.TaskRegistry;
import io.gobstopper.tasks.event.TaskListener;
import io.gobstopper.tasks.store.DuckDbTaskStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The task engine on DuckDB, when {@code gobstopper.tasks.enabled=true}; otherwise a switched-off {@link TaskQueue}
 * that creates nothing. Backs off when the application defines its own {@link TaskQueue}.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
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
        TaskEngine gobstopperTaskEngine(
                TaskRegistry registry,
                GobstopperTasksProperties properties,
                ObjectProvider<JsonMapper> jsonMapper,
                ObjectProvider<TaskListener> listeners) {
            DuckDbTaskStore store = new DuckDbTaskStore(Path.of(properties.getDatabasePath()), WRITE_DELAY);
            return new TaskEngine(registry, store, EngineSettingsFactory.create(properties),
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
