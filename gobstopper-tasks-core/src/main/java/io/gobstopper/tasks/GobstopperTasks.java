package io.gobstopper.tasks;

import io.gobstopper.tasks.engine.TaskEngine;
import io.gobstopper.tasks.engine.TaskEngineSettings;
import io.gobstopper.tasks.engine.TaskRegistry;
import io.gobstopper.tasks.event.TaskListener;
import io.gobstopper.tasks.retry.RetryPolicy;
import io.gobstopper.tasks.store.TaskStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Assembles the task system for plain Java, without Spring: a store, the objects whose {@link BackgroundTask} methods
 * are the tasks, and the settings. The Spring Boot starter assembles it through the same builder.
 *
 * <pre>{@code
 * try (ManagedTaskQueue tasks = GobstopperTasks.builder()
 *         .store(new DuckDbTaskStore(Path.of("tasks.duckdb")))
 *         .tasks(new EmailTasks())
 *         .workers("media", 4)
 *         .build()) {
 *     tasks.start();
 *     tasks.submit("send_email", "ada@example.com", "Welcome!");
 * }
 * }</pre>
 */
public final class GobstopperTasks {

    private GobstopperTasks() {}

    /** A builder with the default settings ({@link TaskEngineSettings#DEFAULTS}) and no store yet. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects what the task system is made of; {@link #build()} checks it and makes the (unstarted) queue. */
    public static final class Builder {

        private TaskStore store;
        private TaskRegistry registry;
        private ObjectMapper mapper;
        private TaskEngineSettings settings = TaskEngineSettings.DEFAULTS;
        private InstantSource clock = InstantSource.system();
        private final List<Object> beans = new ArrayList<>();
        private final List<TaskListener> listeners = new ArrayList<>();

        private Builder() {}

        /** Where the tasks live: a {@code DuckDbTaskStore}, a {@code PostgresTaskStore}, an {@code InMemoryTaskStore}. */
        public Builder store(TaskStore store) {
            this.store = Objects.requireNonNull(store, "store must not be null");
            return this;
        }

        /** Objects whose {@link BackgroundTask} methods become tasks (a name can be registered once). */
        public Builder tasks(Object... beans) {
            for (Object bean : beans) {
                this.beans.add(Objects.requireNonNull(bean, "a task object must not be null"));
            }
            return this;
        }

        /**
         * A registry to run the tasks of, for a caller that registers them itself (as the starter does); the objects
         * given to {@link #tasks} are registered in it too.
         */
        public Builder registry(TaskRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry must not be null");
            return this;
        }

        /** The JSON mapper that binds arguments and writes results; a plain {@link JsonMapper} by default. */
        public Builder mapper(ObjectMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper must not be null");
            return this;
        }

        /** Every setting at once; the methods below change one of them. */
        public Builder settings(TaskEngineSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings must not be null");
            return this;
        }

        /**
         * Workers per category (0-256; 0 pauses a category).
         *
         * @throws IllegalArgumentException if outside 0-256
         */
        public Builder workers(int workers) {
            settings = settings.withWorkers(workers);
            return this;
        }

        /**
         * Workers of one category, instead of {@link #workers(int)}.
         *
         * @throws IllegalArgumentException if the category name is invalid or the count is outside 0-256
         */
        public Builder workers(String category, int workers) {
            TaskEngineSettings.CategorySettings own = settings.categories().get(category);
            settings = settings.withCategory(
                    category,
                    own == null
                            ? new TaskEngineSettings.CategorySettings(workers, null)
                            : new TaskEngineSettings.CategorySettings(
                                    workers, own.retry(), own.queueCapacity(), own.rate(), own.maxWait()));
            return this;
        }

        /** The backoff between retries of a failed task. */
        public Builder retry(RetryPolicy retry) {
            settings = settings.withRetry(retry);
            return this;
        }

        /** How long {@link ManagedTaskQueue#close()} waits for running tasks. */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            settings = settings.withShutdownTimeout(shutdownTimeout);
            return this;
        }

        /** Told of every life-cycle change of every task. */
        public Builder listener(TaskListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
            return this;
        }

        /** Told of every life-cycle change of every task, in this order. */
        public Builder listeners(List<? extends TaskListener> listeners) {
            listeners.forEach(this::listener);
            return this;
        }

        /** The time source; the system clock by default. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /**
         * Makes the task queue; {@link ManagedTaskQueue#start()} opens the store.
         *
         * @throws IllegalStateException if no store was given
         * @throws InvalidTaskDefinitionException if a task declaration is invalid
         */
        @SuppressWarnings("deprecation") // the engine's constructor is for this builder
        public ManagedTaskQueue build() {
            if (store == null) {
                throw new IllegalStateException("No task store: call store(...) with a DuckDbTaskStore "
                        + "(gobstopper-tasks-duckdb), a PostgresTaskStore (gobstopper-tasks-postgres), or an "
                        + "InMemoryTaskStore for tests");
            }
            ObjectMapper json = mapper != null ? mapper : JsonMapper.builder().build();
            TaskRegistry tasks = registry != null ? registry : new TaskRegistry(json);
            beans.forEach(tasks::registerAnnotated);
            return new TaskEngine(tasks, store, settings, json, listeners, clock);
        }
    }
}
