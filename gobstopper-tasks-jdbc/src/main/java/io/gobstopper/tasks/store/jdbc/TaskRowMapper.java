package io.gobstopper.tasks.store.jdbc;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;

/**
 * Reads a task row by its column names, which every SQL store's task table shares; a store says how its dialect holds
 * a time and the list of parents, and whether it keeps a cancel request and the node that runs the task.
 */
public abstract class TaskRowMapper implements RowMapper<TaskInfo> {

    /** A time column's value, or {@code null}. */
    protected abstract Instant instant(ResultSet rs, String column) throws SQLException;

    /** The {@code depends_on} column's task ids; empty for none. */
    protected abstract List<UUID> parents(ResultSet rs) throws SQLException;

    /** Whether a cancel was requested for the running task; {@code false} for a store that does not keep it. */
    protected boolean cancelRequested(ResultSet rs) throws SQLException {
        return false;
    }

    /** The instance that runs or ran the task, for a store shared by several; {@code null} otherwise. */
    protected String nodeId(ResultSet rs) throws SQLException {
        return null;
    }

    @Override
    public TaskInfo mapRow(ResultSet rs, int rowNum) throws SQLException {
        long timeout = rs.getLong("timeout_ms");
        Duration timeoutValue = rs.wasNull() ? null : Duration.ofMillis(timeout);
        return new TaskInfo(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("category"),
                TaskPriority.ofLevel(rs.getInt("priority")),
                TaskStatus.valueOf(rs.getString("status")),
                instant(rs, "created_at"),
                instant(rs, "started_at"),
                instant(rs, "completed_at"),
                instant(rs, "run_at"),
                rs.getString("result"),
                rs.getString("error"),
                rs.getInt("retry_count"),
                rs.getInt("max_retries"),
                rs.getString("args"),
                rs.getString("kwargs"),
                rs.getInt("progress"),
                rs.getString("progress_message"),
                parents(rs),
                rs.getString("unique_key"),
                timeoutValue,
                cancelRequested(rs),
                nodeId(rs));
    }
}
