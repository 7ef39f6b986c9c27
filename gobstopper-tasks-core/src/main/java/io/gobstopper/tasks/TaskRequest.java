package io.gobstopper.tasks;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What to submit: a task name, its arguments, and optional overrides and scheduling options. Build one with
 * {@link #builder(String)}. The engine checks every value at submit time.
 *
 * @param name the registered task name
 * @param args positional arguments, bound to the method's parameters in order
 * @param kwargs named arguments, bound to the method's parameters by name
 * @param category the category to run in, or {@code null} for the task's own
 * @param priority the priority, or {@code null} for the task's own
 * @param maxRetries the retries allowed, or {@code null} for the task's own
 * @param delay start no earlier than this long after the submit, or {@code null} (not together with {@code runAt})
 * @param runAt start no earlier than this instant, or {@code null} (not together with {@code delay})
 * @param dependsOn tasks that must all succeed before this one starts; empty for none
 * @param uniqueKey while an unfinished task has this key, submitting again returns that task; or {@code null}
 * @param timeout the longest a run may take, or {@code null} for the task's own
 */
public record TaskRequest(
        String name,
        List<Object> args,
        Map<String, Object> kwargs,
        String category,
        TaskPriority priority,
        Integer maxRetries,
        Duration delay,
        Instant runAt,
        List<UUID> dependsOn,
        String uniqueKey,
        Duration timeout) {

    public TaskRequest {
        Objects.requireNonNull(name, "name must not be null: give the name of a @BackgroundTask");
        args = args == null ? List.of() : Collections.unmodifiableList(args);
        kwargs = kwargs == null ? Map.of() : Collections.unmodifiableMap(kwargs);
        if (dependsOn != null && dependsOn.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("dependsOn must not contain null: give the ids of existing tasks");
        }
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }

    /** A request without scheduling options. */
    public TaskRequest(
            String name,
            List<Object> args,
            Map<String, Object> kwargs,
            String category,
            TaskPriority priority,
            Integer maxRetries) {
        this(name, args, kwargs, category, priority, maxRetries, null, null, List.of(), null, null);
    }

    /** A request for the named task with positional arguments. */
    public static TaskRequest of(String name, Object... args) {
        return builder(name).args(args).build();
    }

    /** Starts a request for the named task. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** This request, depending on these tasks as well. */
    public TaskRequest withDependsOn(Collection<UUID> more) {
        List<UUID> all = new java.util.ArrayList<>(dependsOn);
        all.addAll(more);
        return new TaskRequest(
                name, args, kwargs, category, priority, maxRetries, delay, runAt, all, uniqueKey, timeout);
    }

    /** Builds a {@link TaskRequest}. */
    public static final class Builder {
        private final String name;
        private List<Object> args = List.of();
        private final Map<String, Object> kwargs = new LinkedHashMap<>();
        private String category;
        private TaskPriority priority;
        private Integer maxRetries;
        private Duration delay;
        private Instant runAt;
        private List<UUID> dependsOn = List.of();
        private String uniqueKey;
        private Duration timeout;

        private Builder(String name) {
            this.name = name;
        }

        /** Positional arguments. */
        public Builder args(Object... args) {
            this.args = args == null ? List.of() : Arrays.asList(args.clone());
            return this;
        }

        /** Positional arguments. */
        public Builder args(List<?> args) {
            this.args = args == null ? List.of() : List.copyOf(args);
            return this;
        }

        /** One named argument. */
        public Builder kwarg(String parameter, Object value) {
            kwargs.put(parameter, value);
            return this;
        }

        /** Named arguments. */
        public Builder kwargs(Map<String, ?> kwargs) {
            if (kwargs != null) {
                this.kwargs.putAll(kwargs);
            }
            return this;
        }

        /** Runs the task in this category instead of its own. */
        public Builder category(String category) {
            this.category = category;
            return this;
        }

        /** Runs the task at this priority instead of its own. */
        public Builder priority(TaskPriority priority) {
            this.priority = priority;
            return this;
        }

        /** Allows this many retries instead of the task's own. */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /** Starts the task no earlier than this long after the submit. */
        public Builder delay(Duration delay) {
            this.delay = delay;
            return this;
        }

        /** Starts the task no earlier than this instant. */
        public Builder runAt(Instant runAt) {
            this.runAt = runAt;
            return this;
        }

        /** Starts the task only once all these tasks have succeeded; cancels it when one fails or is cancelled. */
        public Builder dependsOn(UUID... parents) {
            this.dependsOn = parents == null ? List.of() : Arrays.asList(parents.clone());
            return this;
        }

        /** Starts the task only once all these tasks have succeeded; cancels it when one fails or is cancelled. */
        public Builder dependsOn(Collection<UUID> parents) {
            this.dependsOn = parents == null ? List.of() : List.copyOf(parents);
            return this;
        }

        /** While an unfinished task has this key, submitting returns that task instead of a new one. */
        public Builder uniqueKey(String uniqueKey) {
            this.uniqueKey = uniqueKey;
            return this;
        }

        /** Interrupts a run that takes longer than this and counts it as a failed attempt. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public TaskRequest build() {
            return new TaskRequest(
                    name,
                    args,
                    new LinkedHashMap<>(kwargs),
                    category,
                    priority,
                    maxRetries,
                    delay,
                    runAt,
                    dependsOn,
                    uniqueKey,
                    timeout);
        }
    }
}
