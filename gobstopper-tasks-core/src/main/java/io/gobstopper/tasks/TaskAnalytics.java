package io.gobstopper.tasks;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Figures over the tasks created in a recent window, computed by the store: per group (task name or category) counts
 * by status, the error rate and percentiles of execution and wait times in seconds; and per minute how many tasks
 * succeeded and failed.
 *
 * @param since how far back the window reaches
 * @param groupBy what the groups are
 * @param groups one per key, ordered by key
 * @param throughput one per UTC minute in which a task ended SUCCESS or FAILED within the window, oldest first
 */
public record TaskAnalytics(Duration since, GroupBy groupBy, List<Group> groups, List<Minute> throughput) {

    /** The default window: the last 24 hours. */
    public static final Duration DEFAULT_SINCE = Duration.ofHours(24);

    /** The longest window accepted. */
    public static final Duration MAX_SINCE = Duration.ofDays(3650);

    public TaskAnalytics {
        groups = List.copyOf(groups);
        throughput = List.copyOf(throughput);
    }

    /** Analytics with no tasks. */
    public static TaskAnalytics empty(Duration since, GroupBy groupBy) {
        return new TaskAnalytics(since, groupBy, List.of(), List.of());
    }

    /** What tasks are grouped by. */
    public enum GroupBy {
        /** The task's name. */
        NAME("name"),
        /** The task's category. */
        CATEGORY("category");

        private final String column;

        GroupBy(String column) {
            this.column = column;
        }

        /** The column grouped by, also the value's spelling in requests. */
        public String column() {
            return column;
        }

        /** Reads {@code name} or {@code category} in any case. */
        public static GroupBy of(String value) {
            for (GroupBy groupBy : values()) {
                if (groupBy.column.equals(value.toLowerCase(Locale.ROOT))) {
                    return groupBy;
                }
            }
            throw new IllegalArgumentException("groupBy must be one of name, category; got '" + value + "'");
        }
    }

    /**
     * One group's figures.
     *
     * @param key the task name or category
     * @param total tasks created in the window
     * @param byStatus per status, every status present
     * @param errorRate FAILED / (SUCCESS + FAILED), 0 when neither
     * @param execution seconds from start to end of the ended tasks that started
     * @param waiting seconds from due (run-at, else created) to start of the tasks that started
     */
    public record Group(
            String key,
            long total,
            Map<TaskStatus, Long> byStatus,
            double errorRate,
            Execution execution,
            Wait waiting) {

        public Group {
            Map<TaskStatus, Long> all = new EnumMap<>(TaskStatus.class);
            for (TaskStatus status : TaskStatus.values()) {
                all.put(status, byStatus.getOrDefault(status, 0L));
            }
            byStatus = java.util.Collections.unmodifiableMap(all);
        }
    }

    /**
     * Execution-time percentiles (linear interpolation between the nearest ranks) in seconds; {@code null} when no
     * task qualifies.
     */
    public record Execution(Double p50, Double p95, Double p99, Double max) {}

    /** Wait-time percentiles in seconds (linear interpolation); {@code null} when no task started. */
    public record Wait(Double p50, Double p95) {}

    /**
     * Tasks that ended in one UTC minute.
     *
     * @param minute the minute's start
     */
    public record Minute(Instant minute, long succeeded, long failed) {}
}
