package io.gobstopper.tasks.store.postgres;

import static io.gobstopper.tasks.store.postgres.PostgresRows.ROWS;
import static io.gobstopper.tasks.store.postgres.PostgresRows.claimed;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.event.TaskEventType;
import io.gobstopper.tasks.store.LiveTask;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The tasks this instance claimed, with the fence of each claim, and the claims themselves: one statement claims due
 * tasks for several categories ({@code FOR UPDATE SKIP LOCKED} per category, then the change to STARTED with this
 * node, a lease and the next fence), and one gives back tasks that never started.
 */
final class PostgresClaims {

    /** A task this instance claimed, with the fence number of that claim. */
    record Claim(LiveTask task, long fence) {}

    /**
     * Claims the due tasks of each category ({@code FOR UPDATE SKIP LOCKED}, an index scan in priority-then-FIFO
     * order, passing over tasks of names this instance does not run, where {@code %2$s} is {@link #NAMED}), and sends
     * their STARTED events from the same statement. Its parameters: the categories and how many of each (two arrays),
     * the names (an array, only with {@link #NAMED}), the instant that is now, this node, the lease in seconds, now
     * again, the channel, the events' head, the STARTED code, events per notification.
     *
     * <p>The claimed rows are updated through {@code t.id = ANY(ARRAY(...))}, an index scan of the primary key
     * whatever the statistics say, not through a join with the locked rows: with statistics from a table that was
     * empty when last analyzed, PostgreSQL drove that join from a scan of the whole table, rescanning the locked rows
     * for each of its rows (up to 220 ms for a claim of 259 tasks; 0.1 ms now). An earlier comparison of this form
     * with a branch per category ({@code UNION ALL}) was made while runs were bimodal from that cause, so it proves
     * little; this form stayed, though PostgreSQL plans it anew for every claim (0.2-0.4 ms).
     */
    private static final String CLAIM = "WITH due AS (SELECT d.id FROM unnest(CAST(? AS TEXT[]), "
            + "CAST(? AS INTEGER[])) AS w(category, n) CROSS JOIN LATERAL (SELECT t.id FROM %1$s t WHERE "
            + "t.category = w.category%2$s AND t.status IN ('PENDING', 'RETRY') AND (t.run_at IS NULL OR t.run_at <= "
            + "CAST(? AS TIMESTAMPTZ)) AND (t.depends_on IS NULL OR NOT EXISTS (SELECT 1 FROM %1$s p WHERE "
            + "p.id = ANY(t.depends_on) AND p.status <> 'SUCCESS')) ORDER BY t.priority DESC, t.created_at, t.id "
            + "LIMIT w.n FOR UPDATE SKIP LOCKED) d), c AS (UPDATE %1$s t SET status = 'STARTED', node_id = ?, "
            + "fence = t.fence + 1, lease_until = now() + make_interval(secs => ?), started_at = CAST(? AS "
            + "TIMESTAMPTZ), completed_at = NULL, progress = 0, progress_message = NULL, cancel_requested = false "
            + "WHERE t.id = ANY(ARRAY(SELECT due.id FROM due)) RETURNING t.*), "
            // the claim's events in the same statement, as many notifications as they need: no transaction of its own
            + "n AS (SELECT pg_notify(CAST(? AS TEXT), CAST(? AS TEXT) || string_agg(CAST(? AS TEXT) || x.id, ',')) "
            + "FROM (SELECT c.id, (row_number() OVER () - 1) / CAST(? AS INTEGER) AS notice FROM c) x "
            + "GROUP BY x.notice) "
            + "SELECT c.* FROM c WHERE (SELECT count(*) FROM n) >= 0";

    /** The filter of {@link #CLAIM} on the names this instance runs. */
    private static final String NAMED = " AND t.name = ANY(CAST(? AS TEXT[]))";

    private final Map<UUID, Claim> claims = new ConcurrentHashMap<>();
    /**
     * Held by a claim from its statement until its claims are registered, and by a cancel throughout: so a cancel on
     * this instance finds a task either claimed here (and stops or cancels it here) or not claimed by this instance
     * at all, never claimed in the store but not yet known here.
     */
    final Object lock = new Object();

    private final JdbcTemplate jdbc;
    private final String tasks;
    private final String channel;
    private final String nodeId;
    private final double leaseSeconds;
    private final String eventsHead;
    private final String anyClaim;
    private final String namedClaim;

    PostgresClaims(JdbcTemplate jdbc, String schema, String channel, String nodeId, double leaseSeconds) {
        this.jdbc = jdbc;
        this.tasks = schema + ".tasks";
        this.channel = channel;
        this.nodeId = nodeId;
        this.leaseSeconds = leaseSeconds;
        this.eventsHead = Notices.eventsHead(nodeId);
        this.anyClaim = CLAIM.formatted(tasks, "");
        this.namedClaim = CLAIM.formatted(tasks, NAMED);
    }

    /**
     * Claims due tasks of the names given ({@code null} for any name), highest priority first and oldest first within
     * a priority.
     */
    List<LiveTask> claim(Map<String, Integer> wanted, Collection<String> names, Instant now) {
        List<LiveTask> claimed = new ArrayList<>();
        synchronized (lock) {
            jdbc.execute((ConnectionCallback<Void>) connection -> {
                claimInto(connection, claimed, wanted, names, now);
                return null;
            });
        }
        claimed.sort(Comparator.comparing((LiveTask task) -> -task.priority().level())
                .thenComparing(LiveTask::createdAt)
                .thenComparing(LiveTask::id));
        return claimed;
    }

    private void claimInto(
            Connection connection,
            List<LiveTask> claimed,
            Map<String, Integer> wanted,
            Collection<String> names,
            Instant now)
            throws SQLException {
        try (PreparedStatement claim = connection.prepareStatement(names == null ? anyClaim : namedClaim)) {
            bind(connection, claim, wanted, names, now);
            try (ResultSet rs = claim.executeQuery()) {
                while (rs.next()) {
                    LiveTask task = LiveTask.of(claimed(ROWS.mapRow(rs, 0)));
                    claims.put(task.id(), new Claim(task, rs.getLong("fence")));
                    claimed.add(task);
                }
            }
        } catch (SQLException | RuntimeException ex) {
            claimed.forEach(task -> claims.remove(task.id()));
            claimed.clear();
            throw ex;
        }
    }

    /** Sets the parameters of {@link #CLAIM} for these categories and, unless {@code null}, names. */
    private void bind(
            Connection connection,
            PreparedStatement claim,
            Map<String, Integer> wanted,
            Collection<String> names,
            Instant now)
            throws SQLException {
        int at = 1;
        claim.setArray(at++, connection.createArrayOf("text", wanted.keySet().toArray(String[]::new)));
        claim.setArray(at++, connection.createArrayOf("int4", wanted.values().toArray(Integer[]::new)));
        if (names != null) {
            claim.setArray(at++, connection.createArrayOf("text", names.toArray()));
        }
        claim.setString(at++, now.toString());
        claim.setString(at++, nodeId);
        claim.setDouble(at++, leaseSeconds);
        claim.setString(at++, now.toString());
        claim.setString(at++, channel);
        claim.setString(at++, eventsHead);
        claim.setString(at++, String.valueOf(Notices.code(TaskEventType.STARTED)));
        claim.setInt(at, Notices.eventsPerNotice(eventsHead));
    }

    /**
     * Gives back claimed tasks that never started: PENDING again (CANCELLED if a cancel was asked for meanwhile),
     * for any instance; those no longer claimed here are left alone. Returns how many went back.
     */
    int unclaim(Collection<LiveTask> given) {
        synchronized (lock) {
            List<Claim> back = new ArrayList<>();
            for (LiveTask task : given) {
                Claim claim = claims.get(task.id());
                if (claim != null && claim.task() == task && task.status() != TaskStatus.STARTED) {
                    claims.remove(task.id(), claim);
                    back.add(claim);
                }
            }
            return release(back);
        }
    }

    /** Frees every claim at shutdown, whether its task started or not: the others take them over at once. */
    int releaseAll() {
        synchronized (lock) {
            List<Claim> held = List.copyOf(claims.values());
            claims.clear();
            return release(held);
        }
    }

    private int release(List<Claim> back) {
        if (back.isEmpty()) {
            return 0;
        }
        String ids = PostgresRows.uuidArray(
                back.stream().map(claim -> claim.task().id()).toList());
        Long[] fences = back.stream().map(Claim::fence).toArray(Long[]::new);
        return jdbc.execute((ConnectionCallback<Integer>) connection -> {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                int released;
                try (PreparedStatement update = connection.prepareStatement("UPDATE " + tasks + " t SET status = "
                        + "CASE WHEN t.cancel_requested THEN 'CANCELLED' ELSE 'PENDING' END, completed_at = CASE WHEN "
                        + "t.cancel_requested THEN now() END, started_at = NULL, progress = 0, progress_message = NULL, "
                        + "lease_until = NULL, cancel_requested = false FROM unnest(CAST(? AS UUID[]), CAST(? AS "
                        + "BIGINT[])) AS w(id, fence) WHERE t.id = w.id AND t.id = ANY(CAST(? AS UUID[])) AND t.fence = w.fence "
                        + "AND t.node_id = ? AND " + PostgresWrites.STARTED_BY_ID)) {
                    update.setString(1, ids);
                    update.setArray(2, connection.createArrayOf("int8", fences));
                    update.setString(3, ids);
                    update.setString(4, nodeId);
                    released = PostgresWrites.joinedById(connection, update::executeUpdate);
                }
                if (released > 0) {
                    PostgresNotify.send(connection, channel, List.of(Notices.WORK));
                }
                connection.commit();
                return released;
            } catch (SQLException | RuntimeException ex) {
                connection.rollback();
                throw ex;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        });
    }

    Claim get(UUID id) {
        return claims.get(id);
    }

    boolean holds(UUID id) {
        return claims.containsKey(id);
    }

    Claim remove(UUID id) {
        return claims.remove(id);
    }

    boolean remove(UUID id, Claim claim) {
        return claims.remove(id, claim);
    }

    void putBack(Claim claim) {
        claims.putIfAbsent(claim.task().id(), claim);
    }

    List<Claim> held() {
        return List.copyOf(claims.values());
    }

    /** The task as this instance holds it, while claimed here. */
    TaskInfo snapshot(UUID id) {
        Claim claim = claims.get(id);
        return claim == null ? null : claim.task().snapshot();
    }
}
