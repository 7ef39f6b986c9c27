package io.gobstopper.tasks.store;

import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskStatus;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;

/** The queries every SQL store words alike: a listing's filter and the counts over the whole table. */
final class TaskQueries {

    private TaskQueries() {}

    /** The {@code WHERE} clause of a listing, adding its arguments to {@code args}. */
    static String where(TaskFilter filter, List<Object> args) {
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
    static TaskStore.TaskCounts counts(JdbcTemplate jdbc, String table) {
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
}
