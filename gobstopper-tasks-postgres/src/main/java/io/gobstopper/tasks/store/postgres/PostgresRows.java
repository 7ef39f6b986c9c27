package io.gobstopper.tasks.store.postgres;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.store.jdbc.AnalyticsDialect;
import io.gobstopper.tasks.store.jdbc.TaskRowMapper;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.SqlParameterValue;

/**
 * The PostgreSQL table's rows and values: the select list and mapper, the analytics dialect, and how times, texts and
 * lists of ids travel as parameters.
 */
final class PostgresRows {

    private PostgresRows() {}

    /**
     * A task just claimed, as this instance holds it until its worker starts it: waiting (PENDING), not started yet,
     * whatever the claim stored, as a store of one instance holds it.
     */
    static TaskInfo claimed(TaskInfo row) {
        return new TaskInfo(
                row.id(),
                row.name(),
                row.category(),
                row.priority(),
                TaskStatus.PENDING,
                row.createdAt(),
                null,
                row.completedAt(),
                row.runAt(),
                row.result(),
                row.error(),
                row.retryCount(),
                row.maxRetries(),
                row.args(),
                row.kwargs(),
                row.progress(),
                row.progressMessage(),
                row.dependsOn(),
                row.uniqueKey(),
                row.timeout(),
                row.cancelRequested(),
                row.nodeId());
    }

    static List<UUID> parents(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        Object[] ids = (Object[]) array.getArray();
        List<UUID> parents = new ArrayList<>(ids.length);
        for (Object id : ids) {
            parents.add((UUID) id);
        }
        return parents;
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    static SqlParameterValue ts(Instant instant) {
        return new SqlParameterValue(
                Types.TIMESTAMP_WITH_TIMEZONE,
                instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    static SqlParameterValue text(String value) {
        return new SqlParameterValue(Types.VARCHAR, value);
    }

    /** A PostgreSQL array literal of ids, for {@code CAST(? AS UUID[])}. */
    static String uuidArray(Collection<UUID> ids) {
        StringBuilder text = new StringBuilder(ids.size() * 37 + 2).append('{');
        for (UUID id : ids) {
            if (text.length() > 1) {
                text.append(',');
            }
            text.append(id);
        }
        return text.append('}').toString();
    }

    /** PostgreSQL's words for analytics: {@code percentile_cont ... WITHIN GROUP}, minutes in UTC. */
    static final AnalyticsDialect DIALECT = new AnalyticsDialect() {
        @Override
        public String seconds(String later, String earlier) {
            return "extract(epoch FROM (" + later + " - " + earlier + "))::double precision";
        }

        @Override
        public String percentile(String expr, double q) {
            return "percentile_cont(" + q + ") WITHIN GROUP (ORDER BY " + expr + ")";
        }

        @Override
        public String minuteMicros(String column) {
            return "(extract(epoch FROM date_trunc('minute', " + column + " AT TIME ZONE 'UTC')) * 1000000)::bigint";
        }
    };

    /** Reads the table's rows, with the cancel request and the node kept for shared work. */
    static final TaskRowMapper ROWS = new TaskRowMapper() {
        @Override
        protected Instant instant(ResultSet rs, String column) throws SQLException {
            return PostgresRows.instant(rs, column);
        }

        @Override
        protected List<UUID> parents(ResultSet rs) throws SQLException {
            return PostgresRows.parents(rs.getArray("depends_on"));
        }

        @Override
        protected boolean cancelRequested(ResultSet rs) throws SQLException {
            return rs.getBoolean("cancel_requested");
        }

        @Override
        protected String nodeId(ResultSet rs) throws SQLException {
            return rs.getString("node_id");
        }
    };

    static final String COLUMNS = "id, name, category, priority, status, created_at, started_at, completed_at, "
            + "run_at, result, error, retry_count, max_retries, args, kwargs, progress, progress_message, depends_on, "
            + "unique_key, timeout_ms, cancel_requested, node_id";
}
