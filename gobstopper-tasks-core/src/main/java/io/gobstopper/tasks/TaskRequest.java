package io.gobstopper.tasks;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to submit: a task name, its arguments, and optional overrides of the task's category, priority and
 * retries. Build one with {@link #builder(String)}.
 *
 * @param name the registered task name
 * @param args positional arguments, bound to the method's parameters in order
 * @param kwargs named arguments, bound to the method's parameters by name
 * @param category the category to run in, or {@code null} for the task's own
 * @param priority the priority, or {@code null} for the task's own
 * @param maxRetries the retries allowed, or {@code null} for the task's own
 */
public record TaskRequest(
        String name,
        List<Object> args,
        Map<String, Object> kwargs,
        String category,
        TaskPriority priority,
        Integer maxRetries) {

    public TaskRequest {
        Objects.requireNonNull(name, "name must not be null: give the name of a @BackgroundTask");
        args = args == null ? List.of() : Collections.unmodifiableList(args);
        kwargs = kwargs == null ? Map.of() : Collections.unmodifiableMap(kwargs);
    }

    /** A request for the named task with positional arguments. */
    public static TaskRequest of(String name, Object... args) {
        return builder(name).args(args).build();
    }

    /** Starts a request for the named task. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds a {@link TaskRequest}. */
    public static final class Builder {
        private final String name;
        private List<Object> args = List.of();
        private final Map<String, Object> kwargs = new LinkedHashMap<>();
        private String category;
        private TaskPriority priority;
        private Integer maxRetries;

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

        public TaskRequest build() {
            return new TaskRequest(name, args, new LinkedHashMap<>(kwargs), category, priority, maxRetries);
        }
    }
}
