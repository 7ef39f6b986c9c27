package io.gobstopper.tasks.store;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;

/** Reads task rows selected with {@link #COLUMNS}; times travel as microseconds since the epoch (UTC). */
final class TaskRows {

    /** The select list every task query uses, in the order {@link #MAPPER} reads it. */
    static final String COLUMNS = "id, name, category, priority, status, epoch_us(created_at), epoch_us(started_at), "
            + "epoch_us(completed_at), epoch_us(run_at), result, error, retry_count, max_retries, args, kwargs, "
            + "progress, progress_message, depends_on, unique_key, timeout_ms";

    static final RowMapper<TaskInfo> MAPPER = TaskRows::map;

    private TaskRows() {}

    private static TaskInfo map(ResultSet rs, int rowNum) throws SQLException {
        return new TaskInfo(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                TaskPriority.ofLevel(rs.getInt(4)),
                TaskStatus.valueOf(rs.getString(5)),
                instant(rs, 6),
                instant(rs, 7),
                instant(rs, 8),
                instant(rs, 9),
                rs.getString(10),
                rs.getString(11),
                rs.getInt(12),
                rs.getInt(13),
                rs.getString(14),
                rs.getString(15),
                rs.getInt(16),
                rs.getString(17),
                parents(rs.getString(18)),
                rs.getString(19),
                timeout(rs, 20),
                false);
    }

    private static List<UUID> parents(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        List<UUID> parents = new ArrayList<>();
        for (String id : text.split(",")) {
            parents.add(UUID.fromString(id));
        }
        return parents;
    }

    /** How {@code depends_on} holds a task's parents: their ids, comma-separated; {@code null} for none. */
    static String parentsText(List<UUID> parents) {
        if (parents.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder(parents.size() * 37);
        for (UUID parent : parents) {
            if (text.length() > 0) {
                text.append(',');
            }
            text.append(parent);
        }
        return text.toString();
    }

    private static Duration timeout(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Duration.ofMillis(millis);
    }

    /** How {@code timeout_ms} holds a timeout. */
    static Long timeoutMillis(Duration timeout) {
        return timeout == null ? null : timeout.toMillis();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long micros = rs.getLong(column);
        return rs.wasNull() ? null : Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    /** Microseconds since the epoch, the precision the store keeps. */
    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }
}
