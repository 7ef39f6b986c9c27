package io.gobstopper.tasks.store.duckdb;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.store.jdbc.TaskRowMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;

/**
 * Task rows of the DuckDB table: the select list, the mapper, and how values are written. Times travel as microseconds
 * since the epoch (UTC), the parents as their ids separated by commas.
 */
final class DuckDbRows {

    /** The select list every task query uses, each column named as the table names it. */
    static final String COLUMNS = "id, name, category, priority, status, epoch_us(created_at) AS created_at, "
            + "epoch_us(started_at) AS started_at, epoch_us(completed_at) AS completed_at, epoch_us(run_at) AS run_at, "
            + "result, error, retry_count, max_retries, args, kwargs, progress, progress_message, depends_on, "
            + "unique_key, timeout_ms";

    static final RowMapper<TaskInfo> MAPPER = new TaskRowMapper() {
        @Override
        protected Instant instant(ResultSet rs, String column) throws SQLException {
            long micros = rs.getLong(column);
            return rs.wasNull() ? null : Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
        }

        @Override
        protected List<UUID> parents(ResultSet rs) throws SQLException {
            return DuckDbRows.parents(rs.getString("depends_on"));
        }
    };

    private DuckDbRows() {}

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

    /** How {@code timeout_ms} holds a timeout. */
    static Long timeoutMillis(Duration timeout) {
        return timeout == null ? null : timeout.toMillis();
    }

    /** Microseconds since the epoch, the precision the store keeps. */
    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }
}
