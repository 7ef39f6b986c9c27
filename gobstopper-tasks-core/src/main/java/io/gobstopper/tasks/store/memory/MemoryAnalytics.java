package io.gobstopper.tasks.store.memory;

import io.gobstopper.tasks.TaskAnalytics;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Analytics computed from task snapshots with the figures the SQL stores compute: times are compared and subtracted
 * in microseconds, the precision those stores keep, and percentiles interpolate linearly between the closest ranks, as
 * {@code quantile_cont} and {@code percentile_cont} do.
 */
final class MemoryAnalytics {

    private static final long MINUTE_MICROS = 60_000_000L;

    private MemoryAnalytics() {}

    /** The figures over the tasks created at or after {@code now - since}, and the minutes of the ends since then. */
    static TaskAnalytics of(Collection<TaskInfo> tasks, Duration since, Instant now, TaskAnalytics.GroupBy groupBy) {
        long from = micros(now.minus(since));
        Map<String, List<TaskInfo>> groups = new TreeMap<>();
        Map<Long, long[]> minutes = new TreeMap<>();
        for (TaskInfo task : tasks) {
            if (micros(task.createdAt()) >= from) {
                String key = groupBy == TaskAnalytics.GroupBy.NAME ? task.name() : task.category();
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(task);
            }
            boolean counted = task.status() == TaskStatus.SUCCESS || task.status() == TaskStatus.FAILED;
            if (counted && task.completedAt() != null && micros(task.completedAt()) >= from) {
                long minute = Math.floorDiv(micros(task.completedAt()), MINUTE_MICROS) * MINUTE_MICROS;
                minutes.computeIfAbsent(minute, m -> new long[2])[task.status() == TaskStatus.SUCCESS ? 0 : 1]++;
            }
        }
        List<TaskAnalytics.Group> figures = new ArrayList<>(groups.size());
        groups.forEach((key, members) -> figures.add(group(key, members)));
        List<TaskAnalytics.Minute> throughput = new ArrayList<>(minutes.size());
        minutes.forEach((minute, counts) -> throughput.add(
                new TaskAnalytics.Minute(Instant.EPOCH.plus(minute, ChronoUnit.MICROS), counts[0], counts[1])));
        return new TaskAnalytics(since, groupBy, figures, throughput);
    }

    private static TaskAnalytics.Group group(String key, List<TaskInfo> members) {
        Map<TaskStatus, Long> byStatus = new EnumMap<>(TaskStatus.class);
        for (TaskStatus status : TaskStatus.values()) {
            byStatus.put(status, 0L);
        }
        List<Double> execution = new ArrayList<>();
        List<Double> waits = new ArrayList<>();
        for (TaskInfo task : members) {
            byStatus.merge(task.status(), 1L, Long::sum);
            if (task.startedAt() == null) {
                continue;
            }
            if (task.status().isCompleted() && task.completedAt() != null) {
                execution.add(seconds(task.startedAt(), task.completedAt()));
            }
            waits.add(seconds(task.runAt() != null ? task.runAt() : task.createdAt(), task.startedAt()));
        }
        Collections.sort(execution);
        Collections.sort(waits);
        long succeeded = byStatus.get(TaskStatus.SUCCESS);
        long failed = byStatus.get(TaskStatus.FAILED);
        double errorRate = succeeded + failed == 0 ? 0 : (double) failed / (succeeded + failed);
        return new TaskAnalytics.Group(
                key,
                members.size(),
                byStatus,
                errorRate,
                new TaskAnalytics.Execution(
                        percentile(execution, 0.5),
                        percentile(execution, 0.95),
                        percentile(execution, 0.99),
                        execution.isEmpty() ? null : execution.get(execution.size() - 1)),
                new TaskAnalytics.Wait(percentile(waits, 0.5), percentile(waits, 0.95)));
    }

    /** Linear interpolation between the closest ranks of sorted values; {@code null} for none, as SQL answers. */
    private static Double percentile(List<Double> sorted, double fraction) {
        if (sorted.isEmpty()) {
            return null;
        }
        double rank = fraction * (sorted.size() - 1);
        int below = (int) Math.floor(rank);
        int above = (int) Math.ceil(rank);
        double low = sorted.get(below);
        return below == above ? low : low + (rank - below) * (sorted.get(above) - low);
    }

    private static double seconds(Instant earlier, Instant later) {
        return (micros(later) - micros(earlier)) / 1e6;
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }
}
