package io.gobstopper.tasks.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gobstopper.tasks.TaskAnalytics;
import io.gobstopper.tasks.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Analytics figures computed independently in Java from task rows, to hold every store's SQL (or code) to them. */
public final class ExpectedAnalytics {

    private ExpectedAnalytics() {}

    /** Microseconds since the epoch, the precision stores keep. */
    public static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    /** The columns of a task that analytics read; times in microseconds since the epoch. */
    public record Row(
            String id,
            String name,
            String category,
            TaskStatus status,
            long created,
            Long started,
            Long completed,
            Long runAt) {

        public boolean ended() {
            return status == TaskStatus.SUCCESS || status == TaskStatus.FAILED || status == TaskStatus.CANCELLED;
        }
    }

    /**
     * Realistic ended, failed, cancelled and a few pending tasks created over the 48 hours before {@code now}: some
     * with a run-at, some failed or cancelled without starting; seven names, three categories. The same seed gives
     * the same rows.
     */
    public static List<Row> generate(Instant now, int count, long seed) {
        java.util.Random random = new java.util.Random(seed);
        long end = micros(now);
        List<Row> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long created = end - (long) (random.nextDouble() * 172_800_000_000L);
            Long runAt = i % 5 == 0 ? created + 1_000_000 : null;
            long due = runAt != null ? runAt : created;
            TaskStatus status = i % 97 == 0
                    ? TaskStatus.PENDING
                    : i % 13 == 0 ? TaskStatus.FAILED : i % 17 == 0 ? TaskStatus.CANCELLED : TaskStatus.SUCCESS;
            boolean started = status == TaskStatus.SUCCESS
                    || (status == TaskStatus.FAILED && i % 11 != 0)
                    || (status == TaskStatus.CANCELLED && i % 2 == 0);
            long wait = (long) (random.nextDouble() * (30_000_000 + 1_000_000 * (i % 7)));
            long run = (long) (random.nextDouble() * 120_000_000 * (1 + i % 3));
            rows.add(new Row(
                    java.util.UUID.randomUUID().toString(),
                    "task_" + i % 7,
                    "cat_" + i % 3,
                    status,
                    created,
                    started ? due + wait : null,
                    status == TaskStatus.PENDING ? null : due + wait + run,
                    runAt));
        }
        return rows;
    }

    /** Checks every figure against the same figure computed here from the rows. */
    public static void assertMatches(
            TaskAnalytics analytics, List<Row> rows, Instant now, Duration since, TaskAnalytics.GroupBy groupBy) {
        long from = micros(now.minus(since));
        Function<Row, String> key = groupBy == TaskAnalytics.GroupBy.NAME ? Row::name : Row::category;
        Map<String, List<Row>> groups = new TreeMap<>();
        rows.stream()
                .filter(row -> row.created() >= from)
                .forEach(row -> groups.computeIfAbsent(key.apply(row), k -> new ArrayList<>())
                        .add(row));
        assertThat(analytics.since()).isEqualTo(since);
        assertThat(analytics.groupBy()).isEqualTo(groupBy);
        assertThat(analytics.groups()).extracting(TaskAnalytics.Group::key).containsExactlyElementsOf(groups.keySet());
        for (TaskAnalytics.Group group : analytics.groups()) {
            List<Row> members = groups.get(group.key());
            Map<TaskStatus, Long> byStatus = new EnumMap<>(TaskStatus.class);
            for (TaskStatus status : TaskStatus.values()) {
                byStatus.put(
                        status,
                        members.stream().filter(row -> row.status() == status).count());
            }
            assertThat(group.total()).isEqualTo(members.size());
            assertThat(group.byStatus()).isEqualTo(byStatus);
            long succeeded = byStatus.get(TaskStatus.SUCCESS);
            long failed = byStatus.get(TaskStatus.FAILED);
            assertThat(group.errorRate())
                    .isCloseTo(succeeded + failed == 0 ? 0 : (double) failed / (succeeded + failed), within(1e-12));
            List<Double> execution = members.stream()
                    .filter(row -> row.ended() && row.started() != null)
                    .map(row -> (row.completed() - row.started()) / 1e6)
                    .sorted()
                    .toList();
            List<Double> waits = members.stream()
                    .filter(row -> row.started() != null)
                    .map(row -> (row.started() - (row.runAt() != null ? row.runAt() : row.created())) / 1e6)
                    .sorted()
                    .toList();
            assertThat(execution).hasSizeGreaterThan(100);
            assertClose(group.execution().p50(), quantile(execution, 0.5));
            assertClose(group.execution().p95(), quantile(execution, 0.95));
            assertClose(group.execution().p99(), quantile(execution, 0.99));
            assertClose(group.execution().max(), Collections.max(execution));
            assertClose(group.waiting().p50(), quantile(waits, 0.5));
            assertClose(group.waiting().p95(), quantile(waits, 0.95));
        }
        Map<Long, long[]> minutes = new TreeMap<>();
        rows.stream()
                .filter(row -> (row.status() == TaskStatus.SUCCESS || row.status() == TaskStatus.FAILED)
                        && row.completed() >= from)
                .forEach(row -> minutes.computeIfAbsent(
                                Math.floorDiv(row.completed(), 60_000_000L) * 60_000_000L, m -> new long[2])[
                        row.status() == TaskStatus.SUCCESS ? 0 : 1]++);
        assertThat(analytics.throughput()).hasSize(minutes.size());
        int i = 0;
        for (Map.Entry<Long, long[]> minute : minutes.entrySet()) {
            TaskAnalytics.Minute actual = analytics.throughput().get(i++);
            assertThat(actual.minute()).isEqualTo(Instant.EPOCH.plus(minute.getKey(), ChronoUnit.MICROS));
            assertThat(actual.succeeded()).isEqualTo(minute.getValue()[0]);
            assertThat(actual.failed()).isEqualTo(minute.getValue()[1]);
        }
    }

    /** Linear interpolation between the closest ranks, as quantile_cont and percentile_cont define it. */
    public static double quantile(List<Double> sorted, double q) {
        double rank = q * (sorted.size() - 1);
        int low = (int) Math.floor(rank);
        int high = (int) Math.ceil(rank);
        double lowValue = sorted.get(low);
        return low == high ? lowValue : lowValue + (rank - low) * (sorted.get(high) - lowValue);
    }

    private static void assertClose(Double actual, double expected) {
        assertThat(actual).isNotNull();
        assertThat(actual).isCloseTo(expected, within(1e-6));
    }
}
