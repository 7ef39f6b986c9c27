package io.gobstopper.tasks.store.jdbc;

import io.gobstopper.tasks.TaskAnalytics;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.store.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The queries every SQL store words alike: a listing's filter, the counts over the whole table, and analytics (with
 * the few words the dialects spell differently supplied by an {@link AnalyticsDialect}).
 */
public final class TaskQueries {

    private TaskQueries() {}

    /** The {@code WHERE} clause of a listing, adding its arguments to {@code args}. */
    public static String where(TaskFilter filter, List<Object> args) {
        StringBuilder where = new StringBuilder(" WHERE true");
        if (filter.category() != null) {
            where.append(" AND category = ?");
            args.add(filter.category());
        }
        if (filter.status() != null) {
            where.append(" AND status = ?");
            args.add(filter.status().name());
        }
        if (filter.name() != null) {
            where.append(" AND name = ?");
            args.add(filter.name());
        }
        return where.toString();
    }

    /** Counts by status (every status present) and by category, in one pass over {@code table}. */
    public static TaskStore.TaskCounts counts(JdbcTemplate jdbc, String table) {
        Map<TaskStatus, Long> byStatus = new EnumMap<>(TaskStatus.class);
        for (TaskStatus status : TaskStatus.values()) {
            byStatus.put(status, 0L);
        }
        Map<String, Long> byCategory = new TreeMap<>();
        long[] total = {0};
        jdbc.query("SELECT status, category, count(*) FROM " + table + " GROUP BY status, category", rs -> {
            long count = rs.getLong(3);
            byStatus.merge(TaskStatus.valueOf(rs.getString(1)), count, Long::sum);
            byCategory.merge(rs.getString(2), count, Long::sum);
            total[0] += count;
        });
        return new TaskStore.TaskCounts(total[0], byStatus, byCategory);
    }

    /**
     * Analytics over {@code source} (a table, or a parenthesized query with the task columns), all figures computed
     * in SQL.
     *
     * @param from the SQL expression of the window's start, with one parameter bound to {@code fromArg}
     */
    public static TaskAnalytics analytics(
            JdbcTemplate jdbc,
            AnalyticsDialect dialect,
            String source,
            String from,
            Object fromArg,
            Duration since,
            TaskAnalytics.GroupBy groupBy) {
        String exec = "CASE WHEN status IN ('SUCCESS', 'FAILED', 'CANCELLED') AND started_at IS NOT NULL AND "
                + "completed_at IS NOT NULL THEN " + dialect.seconds("completed_at", "started_at") + " END";
        String wait = "CASE WHEN started_at IS NOT NULL THEN "
                + dialect.seconds("started_at", "coalesce(run_at, created_at)") + " END";
        StringBuilder sql = new StringBuilder("SELECT group_key, count(*)");
        for (TaskStatus status : TaskStatus.values()) {
            sql.append(", count(*) FILTER (WHERE status = '")
                    .append(status.name())
                    .append("')");
        }
        sql.append(", ")
                .append(dialect.percentile("exec_s", 0.5))
                .append(", ")
                .append(dialect.percentile("exec_s", 0.95))
                .append(", ")
                .append(dialect.percentile("exec_s", 0.99))
                .append(", max(exec_s)")
                .append(", ")
                .append(dialect.percentile("wait_s", 0.5))
                .append(", ")
                .append(dialect.percentile("wait_s", 0.95))
                .append(" FROM (SELECT ")
                .append(groupBy.column())
                .append(" AS group_key, status, ")
                .append(exec)
                .append(" AS exec_s, ")
                .append(wait)
                .append(" AS wait_s FROM ")
                .append(source)
                .append(" src WHERE created_at >= ")
                .append(from)
                .append(") t GROUP BY group_key ORDER BY group_key");
        List<TaskAnalytics.Group> groups = new ArrayList<>();
        TaskStatus[] statuses = TaskStatus.values();
        jdbc.query(
                sql.toString(),
                rs -> {
                    Map<TaskStatus, Long> byStatus = new EnumMap<>(TaskStatus.class);
                    for (int i = 0; i < statuses.length; i++) {
                        byStatus.put(statuses[i], rs.getLong(3 + i));
                    }
                    int next = 3 + statuses.length;
                    long succeeded = byStatus.get(TaskStatus.SUCCESS);
                    long failed = byStatus.get(TaskStatus.FAILED);
                    double errorRate = succeeded + failed == 0 ? 0 : (double) failed / (succeeded + failed);
                    groups.add(new TaskAnalytics.Group(
                            rs.getString(1),
                            rs.getLong(2),
                            byStatus,
                            errorRate,
                            new TaskAnalytics.Execution(
                                    number(rs, next), number(rs, next + 1), number(rs, next + 2), number(rs, next + 3)),
                            new TaskAnalytics.Wait(number(rs, next + 4), number(rs, next + 5))));
                },
                fromArg);
        List<TaskAnalytics.Minute> throughput = new ArrayList<>();
        String minute = dialect.minuteMicros("completed_at");
        jdbc.query(
                "SELECT " + minute + " AS minute_us, count(*) FILTER (WHERE status = 'SUCCESS'), "
                        + "count(*) FILTER (WHERE status = 'FAILED') FROM " + source
                        + " src WHERE status IN ('SUCCESS', "
                        + "'FAILED') AND completed_at >= " + from + " GROUP BY minute_us ORDER BY minute_us",
                rs -> {
                    throughput.add(new TaskAnalytics.Minute(
                            Instant.EPOCH.plus(rs.getLong(1), ChronoUnit.MICROS), rs.getLong(2), rs.getLong(3)));
                },
                fromArg);
        return new TaskAnalytics(since, groupBy, groups, throughput);
    }

    private static Double number(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }
}
