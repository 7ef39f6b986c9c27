package io.gobstopper.tasks.store.postgres;

import io.gobstopper.tasks.TaskStoreException;
import io.gobstopper.tasks.event.TaskEventType;
import io.gobstopper.tasks.store.SharedStoreSignals;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keeps this instance's leases: registers the node, renews the leases of the tasks it holds every third of the lease
 * (and learns there of cancel requests and of tasks taken over by another instance), and sweeps: takes back the tasks
 * of instances whose lease expired and cancels the tasks that wait for a parent that failed or was cancelled.
 */
final class PostgresLeases {

    private static final Logger log = LoggerFactory.getLogger(PostgresTaskStore.class);

    private final JdbcTemplate jdbc;
    private final String schema;
    private final String tasks;
    private final String nodes;
    private final String channel;
    private final String nodeId;
    private final UUID token = UUID.randomUUID();
    private final Duration leaseTimeout;
    private final double leaseSeconds;
    private final PostgresClaims claims;
    private final Supplier<SharedStoreSignals> signals;
    private ScheduledExecutorService renewer;

    PostgresLeases(
            JdbcTemplate jdbc,
            String schema,
            String channel,
            String nodeId,
            Duration leaseTimeout,
            PostgresClaims claims,
            Supplier<SharedStoreSignals> signals) {
        this.jdbc = jdbc;
        this.schema = schema;
        this.tasks = schema + ".tasks";
        this.nodes = schema + ".gobstopper_nodes";
        this.channel = channel;
        this.nodeId = nodeId;
        this.leaseTimeout = leaseTimeout;
        this.leaseSeconds = leaseTimeout.toMillis() / 1000.0;
        this.claims = claims;
        this.signals = signals;
    }

    /** How often the leases are renewed. */
    Duration renewInterval() {
        return Duration.ofMillis(Math.max(50, leaseTimeout.toMillis() / 3));
    }

    /**
     * Registers this instance, refusing a node id that a live instance uses, and takes back what this node id held
     * when its previous process died: those tasks cannot be running now.
     */
    void register() {
        List<Map<String, Object>> holders = jdbc.queryForList(
                "SELECT token, last_seen FROM " + nodes
                        + " WHERE node_id = ? AND last_seen > now() - make_interval(secs => ?)",
                nodeId,
                leaseSeconds);
        if (!holders.isEmpty()) {
            throw new TaskStoreException(
                    "Node id '" + nodeId + "' is in use by another running instance of the shared"
                            + " task store " + schema + " (last seen "
                            + holders.get(0).get("last_seen") + "). Give every"
                            + " instance its own gobstopper.tasks.postgres.node-id, or leave it unset (host name and process"
                            + " id).",
                    null);
        }
        upsertNode();
        int mine = jdbc.update(
                "UPDATE " + tasks + " SET status = 'PENDING', retry_count = retry_count + 1, "
                        + "started_at = NULL, progress = 0, progress_message = NULL, lease_until = NULL, "
                        + "cancel_requested = false WHERE status = 'STARTED' AND node_id = ?",
                nodeId);
        if (mine > 0) {
            log.info(
                    "{} tasks were running on node {} when its previous process stopped; they run again", mine, nodeId);
        }
    }

    private void upsertNode() {
        jdbc.update(
                "INSERT INTO " + nodes + " (node_id, token, started_at, last_seen) VALUES (?, ?, now(), now()) "
                        + "ON CONFLICT (node_id) DO UPDATE SET token = excluded.token, started_at = now(), last_seen = now(), "
                        + "running = 0",
                nodeId,
                token);
    }

    void start() {
        renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gobstopper-leases");
            thread.setDaemon(true);
            return thread;
        });
        long every = renewInterval().toMillis();
        renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    /** Stops renewing and removes this instance's record. */
    void stop() {
        if (renewer != null) {
            renewer.shutdownNow();
        }
    }

    void deregister() {
        jdbc.update("DELETE FROM " + nodes + " WHERE node_id = ? AND token = ?", nodeId, token);
    }

    /** Renews the leases of the tasks this instance holds, and picks up cancel requests made elsewhere. */
    private void renew() {
        try {
            List<PostgresClaims.Claim> held = claims.held();
            int updated = jdbc.update(
                    "UPDATE " + nodes + " SET last_seen = now(), running = ? WHERE node_id = ? AND token = ?",
                    held.size(),
                    nodeId,
                    token);
            if (updated == 0) {
                log.warn(
                        "Node {} was missing from {} (its record was removed after a long silence); registering again",
                        nodeId,
                        nodes);
                upsertNode();
            }
            if (held.isEmpty()) {
                return;
            }
            Map<UUID, long[]> renewed = new HashMap<>();
            jdbc.query(
                    "UPDATE " + tasks + " SET lease_until = now() + make_interval(secs => ?) WHERE id = ANY(CAST(? "
                            + "AS UUID[])) AND node_id = ? AND status = 'STARTED' RETURNING id, fence, cancel_requested",
                    rs -> {
                        renewed.put(rs.getObject(1, UUID.class), new long[] {rs.getLong(2), rs.getBoolean(3) ? 1 : 0});
                    },
                    leaseSeconds,
                    PostgresRows.uuidArray(
                            held.stream().map(claim -> claim.task().id()).toList()),
                    nodeId);
            for (PostgresClaims.Claim claim : held) {
                long[] row = renewed.get(claim.task().id());
                if (row == null || row[0] != claim.fence()) {
                    if (claims.remove(claim.task().id(), claim)) {
                        log.warn(
                                "Task {} ({}) was taken over by another instance: node {} held it past its lease of "
                                        + "{}; its run here is interrupted and what it records is ignored",
                                claim.task().id(),
                                claim.task().name(),
                                nodeId,
                                leaseTimeout);
                        signals.get().leaseLost(claim.task().id());
                    }
                } else if (row[1] == 1 && !claim.task().cancelRequested()) {
                    signals.get().cancelRequested(claim.task().id());
                }
            }
        } catch (DataAccessException | TaskStoreException ex) {
            log.warn("Could not renew the leases of node {}: {}", nodeId, ex.getMessage());
        }
    }

    /**
     * Takes back the tasks of instances whose lease expired (CANCELLED if a cancel was asked for them), cancels
     * the tasks waiting for a parent that failed or was cancelled, and forgets long-silent instances.
     */
    void sweep(Instant now) {
        try {
            List<String> taken = new ArrayList<>();
            jdbc.execute((ConnectionCallback<Void>) connection -> {
                boolean autoCommit = connection.getAutoCommit();
                connection.setAutoCommit(false);
                try {
                    boolean work = false;
                    List<UUID> cancelled = new ArrayList<>();
                    try (var update = connection.prepareStatement("UPDATE " + tasks + " SET status = CASE WHEN "
                            + "cancel_requested THEN 'CANCELLED' ELSE 'PENDING' END, completed_at = CASE WHEN "
                            + "cancel_requested THEN CAST(? AS TIMESTAMPTZ) END, error = CASE WHEN cancel_requested "
                            + "THEN 'Cancelled while running; its instance stopped before the run did' ELSE error END, "
                            + "retry_count = retry_count + CASE WHEN cancel_requested THEN 0 ELSE 1 END, started_at = "
                            + "CASE WHEN cancel_requested THEN started_at END, progress = 0, progress_message = NULL, "
                            + "lease_until = NULL, cancel_requested = false WHERE status = 'STARTED' AND lease_until < "
                            + "now() RETURNING id, status, node_id")) {
                        update.setString(1, now.toString());
                        try (var rs = update.executeQuery()) {
                            while (rs.next()) {
                                boolean stopped = rs.getString(2).equals("CANCELLED");
                                work |= !stopped;
                                if (stopped) {
                                    cancelled.add(rs.getObject(1, UUID.class));
                                }
                                taken.add(rs.getString(1) + " of node " + rs.getString(3)
                                        + (stopped ? " (cancelled)" : ""));
                            }
                        }
                    }
                    cancelled.addAll(PostgresWrites.cancelDependants(connection, tasks, null, now));
                    List<String> notices = new ArrayList<>(Notices.of(
                            false,
                            cancelled.stream()
                                    .map(id -> new Notices.Event(TaskEventType.CANCELLED, id))
                                    .toList(),
                            Notices.NO_NODE));
                    if (work) {
                        notices.add(Notices.WORK);
                    }
                    PostgresNotify.send(connection, channel, notices);
                    connection.commit();
                } catch (java.sql.SQLException | RuntimeException ex) {
                    connection.rollback();
                    throw ex;
                } finally {
                    connection.setAutoCommit(autoCommit);
                }
                return null;
            });
            if (!taken.isEmpty()) {
                log.warn(
                        "Took back {} tasks whose instance's lease of {} expired; they run again: {}{}",
                        taken.size(),
                        leaseTimeout,
                        taken.subList(0, Math.min(20, taken.size())),
                        taken.size() > 20 ? " and " + (taken.size() - 20) + " more" : "");
            }
            jdbc.update(
                    "DELETE FROM " + nodes + " WHERE last_seen < now() - make_interval(secs => ?)", leaseSeconds * 10);
        } catch (DataAccessException ex) {
            log.warn(
                    "Housekeeping of the shared task store {} failed; it runs again at the next poll: {}",
                    schema,
                    ex.getMessage());
        }
    }
}
