package io.gobstopper.tasks.store.postgres;

import static io.gobstopper.tasks.store.postgres.PostgresListener.WORK;
import static io.gobstopper.tasks.store.postgres.PostgresListener.cancelRequest;
import static io.gobstopper.tasks.store.postgres.PostgresListener.event;
import static io.gobstopper.tasks.store.postgres.PostgresRows.COLUMNS;
import static io.gobstopper.tasks.store.postgres.PostgresRows.DIALECT;
import static io.gobstopper.tasks.store.postgres.PostgresRows.ROWS;
import static io.gobstopper.tasks.store.postgres.PostgresRows.claimed;
import static io.gobstopper.tasks.store.postgres.PostgresRows.instant;
import static io.gobstopper.tasks.store.postgres.PostgresRows.text;
import static io.gobstopper.tasks.store.postgres.PostgresRows.ts;
import static io.gobstopper.tasks.store.postgres.PostgresRows.uuidArray;

import io.gobstopper.tasks.NodeInfo;
import io.gobstopper.tasks.TaskException;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskNotFoundException;
import io.gobstopper.tasks.TaskPage;
import io.gobstopper.tasks.TaskQueueUnavailableException;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.TaskStoreException;
import io.gobstopper.tasks.event.TaskEventType;
import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.Refusals;
import io.gobstopper.tasks.store.SharedStoreSignals;
import io.gobstopper.tasks.store.SharedTaskStore;
import io.gobstopper.tasks.store.TaskChange;
import io.gobstopper.tasks.store.TaskExport;
import io.gobstopper.tasks.store.UniqueKeyTakenException;
import io.gobstopper.tasks.store.jdbc.TaskQueries;
import io.gobstopper.tasks.store.jdbc.TaskSql;
import io.gobstopper.tasks.store.support.TextExport;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tasks in PostgreSQL, shared by every instance that points at the same schema.
 *
 * <p>Instances claim due tasks with one guarded statement ({@code FOR UPDATE SKIP LOCKED} plus the change to STARTED),
 * so no task is claimed twice. A claim makes the task this instance's: it carries the instance's {@code node_id}, a
 * lease that the instance renews while the task runs, and a fence number that grows with every claim. Every later
 * write of the run names the fence, so a worker whose lease expired and whose task another instance took over cannot
 * record anything: its write changes no row, and it is logged. Instances whose lease expired (a crash, a long pause)
 * have their tasks taken back by whichever instance sweeps first, and run again.
 *
 * <p>Inserts run on the caller's thread through the application's {@link DataSource}: inside a Spring transaction on
 * that data source they commit or roll back with it. {@code LISTEN/NOTIFY} wakes the other instances at once and
 * carries every life-cycle change to them; polling is the backstop.
 */
public class PostgresTaskStore implements SharedTaskStore, TaskExport {

    private static final Logger log = LoggerFactory.getLogger(PostgresTaskStore.class);

    private static final String ENDED = TaskSql.ENDED;

    private static final String RESET_FOR_RETRY =
            TaskSql.RESET_FOR_RETRY + ", lease_until = NULL, cancel_requested = false";

    private static final SharedStoreSignals NO_SIGNALS = new SharedStoreSignals() {
        @Override
        public void workAvailable() {}

        @Override
        public void cancelRequested(UUID id) {}

        @Override
        public void leaseLost(UUID id) {}

        @Override
        public boolean wantsRemoteEvents() {
            return false;
        }

        @Override
        public void remoteEvent(TaskEventType type, TaskInfo task) {}
    };

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final String schema;
    private final String tasks;
    private final String schedules;
    private final String nodes;
    private final String channel;
    private final String nodeId;
    private final UUID token = UUID.randomUUID();
    private final Duration leaseTimeout;
    private final double leaseSeconds;
    private final Duration pollInterval;
    private final Map<UUID, Claim> claims = new ConcurrentHashMap<>();
    /**
     * Held by a claim from its statement until its claims are registered, and by a cancel throughout: so a cancel on
     * this instance finds a task either claimed here (and stops or cancels it here) or not claimed by this instance
     * at all, never claimed in the store but not yet known here.
     */
    private final Object claiming = new Object();

    private volatile SharedStoreSignals signals = NO_SIGNALS;
    private volatile Consumer<List<LiveTask>> committed = tasks -> {};
    private volatile boolean open;
    private ScheduledExecutorService leases;
    private PostgresListener listener;

    /** A task this instance claimed, with the fence number of that claim. */
    private record Claim(LiveTask task, long fence) {}

    /**
     * @param dataSource where the tasks live; the application's, so that submits join its transactions
     * @param schema the PostgreSQL schema of the store's tables (created when missing): a plain lower-case identifier
     * @param nodeId this instance's name, unique among the instances that share the schema
     * @param leaseTimeout how long a silent instance keeps its running tasks before the others take them over
     * @param pollInterval how often the instance looks for work besides being notified, and sweeps
     */
    public PostgresTaskStore(
            DataSource dataSource, String schema, String nodeId, Duration leaseTimeout, Duration pollInterval) {
        if (schema == null || !PostgresSchema.NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema must be a lower-case identifier of 1-40 letters, digits and '_'"
                    + " that does not start with a digit, got '" + schema + "'");
        }
        if (nodeId == null || nodeId.isBlank() || nodeId.length() > 200 || nodeId.contains(":")) {
            throw new IllegalArgumentException("nodeId must be 1-200 characters without ':', got '" + nodeId + "'");
        }
        if (leaseTimeout == null || leaseTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("leaseTimeout must be at least 100ms, got " + leaseTimeout);
        }
        if (pollInterval == null || pollInterval.toMillis() < 10) {
            throw new IllegalArgumentException("pollInterval must be at least 10ms, got " + pollInterval);
        }
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.schema = schema;
        this.tasks = schema + ".tasks";
        this.schedules = schema + ".gobstopper_schedules";
        this.nodes = schema + ".gobstopper_nodes";
        this.channel = "gobstopper_" + schema;
        this.nodeId = nodeId;
        this.leaseTimeout = leaseTimeout;
        this.leaseSeconds = leaseTimeout.toMillis() / 1000.0;
        this.pollInterval = pollInterval;
    }

    @Override
    public String kind() {
        return "postgres";
    }

    @Override
    public String location() {
        return "schema " + schema + " of " + describe(dataSource);
    }

    private static String describe(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getURL();
        } catch (SQLException | RuntimeException ex) {
            return dataSource.toString();
        }
    }

    /** This instance's name. */
    public String nodeId() {
        return nodeId;
    }

    @Override
    public Duration pollInterval() {
        return pollInterval;
    }

    @Override
    public void attach(SharedStoreSignals signals) {
        this.signals = signals;
    }

    @Override
    public synchronized List<LiveTask> open(Instant now, Consumer<List<LiveTask>> committed) {
        if (open) {
            throw new IllegalStateException("The task store " + location() + " is already open");
        }
        this.committed = committed;
        String location = location();
        try {
            PostgresSchema.migrate(jdbc, transactions, schema, location);
            register();
            // a task this node id held when its previous process died cannot be running now
            int mine = jdbc.update(
                    "UPDATE " + tasks + " SET status = 'PENDING', retry_count = retry_count + 1, "
                            + "started_at = NULL, progress = 0, progress_message = NULL, lease_until = NULL, "
                            + "cancel_requested = false WHERE status = 'STARTED' AND node_id = ?",
                    nodeId);
            if (mine > 0) {
                log.info(
                        "{} tasks were running on node {} when its previous process stopped; they run again",
                        mine,
                        nodeId);
            }
        } catch (DataAccessException | TransactionException ex) {
            RuntimeException failure = ex;
            throw new TaskStoreException(
                    "Could not prepare the task schema " + location + ": " + failure.getMessage(), failure);
        }
        open = true;
        listener = new PostgresListener(
                dataSource, channel, schema, nodeId, () -> signals, claims::containsKey, this::rows, () -> open);
        listener.start();
        leases = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gobstopper-leases");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(50, leaseTimeout.toMillis() / 3);
        leases.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
        log.info("Node {} works on the shared task store {}", nodeId, location);
        return List.of();
    }

    /** Registers this instance, refusing a node id that a live instance uses. */
    private void register() {
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
        jdbc.update(
                "INSERT INTO " + nodes + " (node_id, token, started_at, last_seen) VALUES (?, ?, now(), now()) "
                        + "ON CONFLICT (node_id) DO UPDATE SET token = excluded.token, started_at = now(), last_seen = now(), "
                        + "running = 0",
                nodeId,
                token);
    }

    // ---- submitting ----

    @Override
    public CompletableFuture<Void> insert(List<LiveTask> batch, boolean atomic) {
        ensureOpen();
        boolean inOuterTransaction = TransactionSynchronizationManager.isActualTransactionActive();
        try {
            if (batch.size() == 1) {
                TaskInfo task = batch.get(0).snapshot();
                List<Object> args = new ArrayList<>(insertArgs(task));
                args.add(channel);
                args.add(event(TaskEventType.SUBMITTED, task.id(), nodeId));
                jdbc.queryForObject(
                        "WITH i AS (" + INSERT.formatted(tasks) + " RETURNING id) SELECT count(*) FROM i, "
                                + "LATERAL (SELECT pg_notify(?, ?)) n",
                        Long.class,
                        args.toArray());
            } else {
                transactions.executeWithoutResult(status -> {
                    List<Object[]> rows = new ArrayList<>(batch.size());
                    batch.forEach(task -> rows.add(insertArgs(task.snapshot()).toArray()));
                    jdbc.batchUpdate(INSERT.formatted(tasks), rows);
                    String[] submitted = batch.stream()
                            .map(task -> event(TaskEventType.SUBMITTED, task.id(), nodeId))
                            .toArray(String[]::new);
                    // one round trip for the whole batch's notifications
                    jdbc.queryForObject(
                            "SELECT count(*) FROM (SELECT pg_notify(?, p) FROM unnest(CAST(? AS TEXT[])) " + "p) n",
                            Long.class,
                            channel,
                            submitted);
                });
            }
        } catch (DuplicateKeyException ex) {
            return CompletableFuture.failedFuture(uniqueKeyTaken(batch));
        } catch (DataAccessException | TransactionException ex) {
            RuntimeException failure = ex; // Spring's common base of the two is outside what the store may use
            return CompletableFuture.failedFuture(new TaskStoreException(
                    "The task store " + schema + " could not store the task: " + failure.getMessage(), failure));
        }
        if (inOuterTransaction) {
            // the rows exist for others once the application's transaction commits, and never if it rolls back
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    committed.accept(batch);
                }
            });
        } else {
            committed.accept(batch);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** An insert of the values of {@link #insertArgs}; {@code %s} stands for the table. */
    private static final String INSERT_INTO =
            "INSERT INTO %s (id, name, category, priority, max_retries, args, kwargs, "
                    + "created_at, status, run_at, depends_on, unique_key, timeout_ms) ";

    private static final String INSERT_VALUES = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS UUID[]), ?, ?";

    private static final String INSERT = INSERT_INTO + "VALUES (" + INSERT_VALUES + ")";

    private static List<Object> insertArgs(TaskInfo task) {
        return List.of(
                task.id(),
                task.name(),
                task.category(),
                task.priority().level(),
                task.maxRetries(),
                task.args(),
                task.kwargs(),
                ts(task.createdAt()),
                task.status().name(),
                ts(task.runAt()),
                text(task.dependsOn().isEmpty() ? null : uuidArray(task.dependsOn())),
                text(task.uniqueKey()),
                new SqlParameterValue(
                        Types.BIGINT,
                        task.timeout() == null ? null : task.timeout().toMillis()));
    }

    private static TaskException uniqueKeyTaken(List<LiveTask> batch) {
        return new UniqueKeyTakenException(batch.stream()
                .map(LiveTask::uniqueKey)
                .filter(key -> key != null)
                .toList());
    }

    @Override
    public Optional<TaskInfo> claimUniqueKey(LiveTask task) {
        if (task.uniqueKey() == null) {
            return Optional.empty();
        }
        return query(() -> jdbc.query(
                        "SELECT " + COLUMNS + " FROM " + tasks + " WHERE unique_key = ? AND status IN "
                                + "('PENDING', 'RETRY', 'STARTED')",
                        ROWS,
                        task.uniqueKey()))
                .stream()
                .findFirst();
    }

    @Override
    public void releaseUniqueKey(LiveTask task) {
        // the partial unique index holds keys, and only for stored unfinished tasks: nothing to give up
    }

    // ---- claiming and running ----

    @Override
    public List<LiveTask> claim(String category, int max, Instant now) {
        ensureOpen();
        if (max < 1) {
            return List.of();
        }
        List<LiveTask> claimed = new ArrayList<>(max);
        synchronized (claiming) {
            claimInto(claimed, category, max, now);
        }
        claimed.sort(Comparator.comparing((LiveTask task) -> -task.priority().level())
                .thenComparing(LiveTask::createdAt)
                .thenComparing(LiveTask::id));
        return claimed;
    }

    private void claimInto(List<LiveTask> claimed, String category, int max, Instant now) {
        query(() -> {
            jdbc.query(
                    "WITH due AS (SELECT t.id FROM " + tasks + " t WHERE t.category = ? AND t.status IN "
                            + "('PENDING', 'RETRY') AND (t.run_at IS NULL OR t.run_at <= ?) AND (t.depends_on IS NULL OR NOT "
                            + "EXISTS (SELECT 1 FROM " + tasks
                            + " p WHERE p.id = ANY(t.depends_on) AND p.status <> 'SUCCESS')) "
                            + "ORDER BY t.priority DESC, t.created_at, t.id LIMIT ? FOR UPDATE SKIP LOCKED), "
                            + "c AS (UPDATE " + tasks + " t SET status = 'STARTED', node_id = ?, fence = t.fence + 1, "
                            + "lease_until = now() + make_interval(secs => ?), started_at = ?, completed_at = NULL, "
                            + "progress = 0, progress_message = NULL, cancel_requested = false FROM due WHERE t.id = due.id "
                            + "RETURNING t.*) SELECT c.*, pg_notify(?, 'e:STARTED:' || c.id || ':' || ?) FROM c",
                    rs -> {
                        TaskInfo row = claimed(ROWS.mapRow(rs, 0));
                        LiveTask task = LiveTask.of(row);
                        claims.put(task.id(), new Claim(task, rs.getLong("fence")));
                        claimed.add(task);
                    },
                    category,
                    ts(now),
                    max,
                    nodeId,
                    leaseSeconds,
                    ts(now),
                    channel,
                    nodeId);
            return null;
        });
    }

    @Override
    public LiveTask tracked(UUID id) {
        Claim claim = claims.get(id);
        return claim == null ? null : claim.task();
    }

    /**
     * Applies a change to a task this instance claimed and writes it, fenced: a start was stored by the claim; an
     * outcome is turned away by a cancel requested in the store (see {@link #outcome}); any write fails once another
     * instance took the task over.
     */
    @Override
    public boolean apply(LiveTask task, TaskChange change) {
        if (change instanceof TaskChange.Start) {
            return claims.containsKey(task.id()) && task.apply(change); // the claim stored the start
        }
        if (TaskChange.isOutcome(change)) {
            return outcome(task, change);
        }
        return task.apply(change) && write(task, notification(task, change), false) == Write.WRITTEN;
    }

    /** What the other instances are told of a change: the event, or only that there may be work (a release). */
    private String notification(LiveTask task, TaskChange change) {
        return change.event() == null ? WORK : event(change.event(), task.id(), nodeId);
    }

    /**
     * Records a run's outcome unless a cancel was requested for it in the store (from any instance) first: then, as in
     * memory, the request wins, the outcome is not recorded and the task is marked to be stopped. The task is held
     * while the store decides, so a request made here meanwhile waits for that decision.
     */
    private boolean outcome(LiveTask task, TaskChange change) {
        synchronized (task) {
            LiveTask next = task.copy();
            if (!next.apply(change)) {
                return false;
            }
            switch (write(next, notification(task, change), true)) {
                case WRITTEN -> {
                    task.apply(change);
                    return true;
                }
                case CANCEL_REQUESTED -> {
                    task.requestCancel();
                    return false;
                }
                default -> {
                    return false;
                }
            }
        }
    }

    /** What became of a fenced write. */
    private enum Write {
        WRITTEN,
        /** Another instance took the task over: nothing was recorded. */
        LOST,
        /** An outcome was not recorded because a cancel was requested in the store first; the claim stays. */
        CANCEL_REQUESTED
    }

    /**
     * Writes a claimed task's new state, fenced: only while the task is still this instance's claim. A write that
     * ends the claim forgets it first (and takes it back when a cancel request turns an outcome away), so the lease
     * keeper never mistakes the end for a lost lease.
     *
     * @param outcome whether this is a run's outcome, which a cancel requested in the store turns away
     */
    private Write write(LiveTask task, String notification, boolean outcome) {
        TaskInfo state = task.snapshot();
        boolean stillClaimed = state.status() == TaskStatus.STARTED;
        Claim claim = stillClaimed ? claims.get(task.id()) : claims.remove(task.id());
        if (claim == null) {
            lost(state);
            return Write.LOST;
        }
        Long written = query(() -> jdbc.queryForObject(
                "WITH u AS (UPDATE " + tasks + " SET status = ?, "
                        + "started_at = ?, completed_at = ?, run_at = ?, result = ?, error = ?, retry_count = ?, progress = ?, "
                        + "progress_message = ?, cancel_requested = (cancel_requested AND ?), "
                        + "lease_until = CASE WHEN ? THEN lease_until END "
                        + "WHERE id = ? AND status = 'STARTED' AND node_id = ? AND fence = ? AND NOT (cancel_requested AND ?) "
                        + "RETURNING id) SELECT count(*) FROM u, LATERAL (SELECT pg_notify(?, ?)) n",
                Long.class,
                state.status().name(),
                ts(state.startedAt()),
                ts(state.completedAt()),
                ts(state.runAt()),
                text(state.result()),
                text(state.error()),
                state.retryCount(),
                state.progress(),
                text(state.progressMessage()),
                stillClaimed,
                stillClaimed,
                state.id(),
                nodeId,
                claim.fence(),
                outcome,
                channel,
                notification));
        if (written != null && written > 0) {
            return Write.WRITTEN;
        }
        if (outcome && cancelRequestedInStore(state.id(), claim.fence())) {
            claims.putIfAbsent(task.id(), claim);
            return Write.CANCEL_REQUESTED;
        }
        claims.remove(task.id(), claim);
        lost(state);
        return Write.LOST;
    }

    /** Whether the task is still this instance's claim, with a cancel requested. */
    private boolean cancelRequestedInStore(UUID id, long fence) {
        return !query(() -> jdbc.queryForList(
                        "SELECT 1 FROM " + tasks + " WHERE id = ? AND status = 'STARTED' AND "
                                + "node_id = ? AND fence = ? AND cancel_requested",
                        Integer.class,
                        id,
                        nodeId,
                        fence))
                .isEmpty();
    }

    private void lost(TaskInfo state) {
        log.warn(
                "Task {} ({}) is no longer this instance's (node {}): its lease expired and another instance took it "
                        + "over, so this run's {} is not recorded",
                state.id(),
                state.name(),
                nodeId,
                state.status());
    }

    /** Renews the leases of the tasks this instance holds, and picks up cancel requests made elsewhere. */
    private void renew() {
        if (!open) {
            return;
        }
        try {
            List<Claim> held = List.copyOf(claims.values());
            int updated = jdbc.update(
                    "UPDATE " + nodes + " SET last_seen = now(), running = ? WHERE node_id = ? " + "AND token = ?",
                    held.size(),
                    nodeId,
                    token);
            if (updated == 0) {
                log.warn(
                        "Node {} was missing from {} (its record was removed after a long silence); registering again",
                        nodeId,
                        nodes);
                register();
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
                    uuidArray(held.stream().map(claim -> claim.task().id()).toList()),
                    nodeId);
            for (Claim claim : held) {
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
                        signals.leaseLost(claim.task().id());
                    }
                } else if (row[1] == 1 && !claim.task().cancelRequested()) {
                    signals.cancelRequested(claim.task().id());
                }
            }
        } catch (DataAccessException | TaskStoreException ex) {
            log.warn("Could not renew the leases of node {}: {}", nodeId, ex.getMessage());
        }
    }

    @Override
    public void sweep(Instant now) {
        if (!open) {
            return;
        }
        try {
            List<String> taken = new ArrayList<>();
            jdbc.query(
                    "WITH x AS (UPDATE " + tasks + " SET status = CASE WHEN cancel_requested THEN 'CANCELLED' "
                            + "ELSE 'PENDING' END, completed_at = CASE WHEN cancel_requested THEN ? END, "
                            + "error = CASE WHEN cancel_requested THEN 'Cancelled while running; its instance stopped before "
                            + "the run did' ELSE error END, retry_count = retry_count + CASE WHEN cancel_requested THEN 0 ELSE 1 "
                            + "END, started_at = CASE WHEN cancel_requested THEN started_at END, progress = 0, "
                            + "progress_message = NULL, lease_until = NULL, cancel_requested = false "
                            + "WHERE status = 'STARTED' AND lease_until < now() RETURNING id, status, node_id) "
                            + "SELECT x.id, x.status, x.node_id, pg_notify(?, CASE WHEN x.status = 'CANCELLED' THEN "
                            + "'e:CANCELLED:' || x.id || ':-' ELSE 'w' END) FROM x",
                    rs -> {
                        taken.add(rs.getString(1) + " of node " + rs.getString(3)
                                + (rs.getString(2).equals("CANCELLED") ? " (cancelled)" : ""));
                    },
                    ts(now),
                    channel);
            if (!taken.isEmpty()) {
                log.warn(
                        "Took back {} tasks whose instance's lease of {} expired; they run again: {}",
                        taken.size(),
                        leaseTimeout,
                        taken);
            }
            cancelDependants(now, null);
            jdbc.update(
                    "DELETE FROM " + nodes + " WHERE last_seen < now() - make_interval(secs => ?)", leaseSeconds * 10);
        } catch (DataAccessException ex) {
            log.warn(
                    "Housekeeping of the shared task store {} failed; it runs again at the next poll: {}",
                    schema,
                    ex.getMessage());
        }
    }

    /**
     * Cancels the waiting tasks whose parent failed or was cancelled, level by level.
     *
     * @param parent the parent that just ended, or {@code null} to look at every waiting dependant
     */
    private void cancelDependants(Instant now, UUID parent) {
        List<UUID> parents = parent == null ? null : List.of(parent);
        for (int level = 0; level < 100; level++) {
            List<UUID> cancelled = new ArrayList<>();
            String which = parents == null ? "" : " AND t.depends_on && CAST(? AS UUID[])";
            List<Object> args = new ArrayList<>(List.of(ts(now)));
            if (parents != null) {
                args.add(uuidArray(parents));
            }
            args.add(channel);
            jdbc.query(
                    "WITH x AS (UPDATE " + tasks + " t SET status = 'CANCELLED', completed_at = ?, run_at = NULL, "
                            + "error = 'Cancelled: task ' || p.id || ' (' || p.name || ') that this task depends on ended ' "
                            + "|| p.status FROM " + tasks
                            + " p WHERE t.status IN ('PENDING', 'RETRY') AND t.depends_on IS NOT "
                            + "NULL" + which + " AND p.id = ANY(t.depends_on) AND p.status IN ('FAILED', 'CANCELLED') "
                            + "RETURNING t.id) SELECT x.id, pg_notify(?, 'e:CANCELLED:' || x.id || ':-') FROM x",
                    rs -> {
                        cancelled.add(rs.getObject(1, UUID.class));
                    },
                    args.toArray());
            if (cancelled.isEmpty()) {
                return;
            }
            parents = cancelled;
        }
    }

    @Override
    public Map<String, Waiting> waiting(Instant now) {
        ensureOpen();
        Map<String, Waiting> due = new TreeMap<>();
        query(() -> {
            jdbc.query(
                    "SELECT t.category, count(*), min(coalesce(t.run_at, t.created_at)) FROM " + tasks + " t "
                            + "WHERE t.status IN "
                            + "('PENDING', 'RETRY') AND (t.run_at IS NULL OR t.run_at <= ?) AND (t.depends_on IS NULL OR NOT "
                            + "EXISTS (SELECT 1 FROM " + tasks
                            + " p WHERE p.id = ANY(t.depends_on) AND p.status <> 'SUCCESS')) "
                            + "GROUP BY t.category",
                    rs -> {
                        due.put(rs.getString(1), new Waiting(rs.getLong(2), instant(rs, 3)));
                    },
                    ts(now));
            return null;
        });
        return due;
    }

    // ---- managing ----

    @Override
    public TaskInfo cancel(UUID id, Instant now) {
        ensureOpen();
        synchronized (claiming) {
            return cancelHeld(id, now);
        }
    }

    private TaskInfo cancelHeld(UUID id, Instant now) {
        Claim claim = claims.get(id);
        if (claim != null) {
            LiveTask task = claim.task();
            TaskInfo asked;
            boolean cancelled;
            synchronized (task) { // one decision: a start cannot slip in between the two
                asked = task.requestCancel();
                cancelled = asked == null && apply(task, new TaskChange.Cancel(null, now));
            }
            if (asked != null) {
                // running here: the engine interrupts it; stored so that every instance shows the request. The answer
                // is the task as the request found it: the run may stop (and end CANCELLED) at once
                query(() -> jdbc.update(
                        "UPDATE " + tasks + " SET cancel_requested = true WHERE id = ? AND status = "
                                + "'STARTED' AND node_id = ? AND fence = ?",
                        id,
                        nodeId,
                        claim.fence()));
                return asked;
            }
            if (cancelled) {
                cancelDependants(now, id);
                return task.snapshot();
            }
        }
        List<TaskInfo> waiting = query(() -> jdbc.query(
                "WITH x AS (UPDATE " + tasks + " SET status = 'CANCELLED', "
                        + "completed_at = ?, run_at = NULL WHERE id = ? AND status IN ('PENDING', 'RETRY') RETURNING *) "
                        + "SELECT x.*, pg_notify(?, ?) FROM x",
                ROWS,
                ts(now),
                id,
                channel,
                event(TaskEventType.CANCELLED, id, nodeId)));
        if (!waiting.isEmpty()) {
            cancelDependants(now, id);
            return waiting.get(0);
        }
        List<TaskInfo> running = query(() -> jdbc.query(
                "WITH x AS (UPDATE " + tasks + " SET cancel_requested = true "
                        + "WHERE id = ? AND status = 'STARTED' RETURNING *) SELECT x.*, pg_notify(?, ?) FROM x",
                ROWS,
                id,
                channel,
                cancelRequest(id)));
        if (!running.isEmpty()) {
            return running.get(0); // its instance hears of it, interrupts the run, and records it CANCELLED
        }
        throw Refusals.cannotCancel(id, stored(id).status());
    }

    @Override
    public LiveTask retry(UUID id) {
        ensureOpen();
        List<TaskInfo> rows;
        try {
            rows = jdbc.query(
                    "WITH x AS (UPDATE " + tasks + " SET " + RESET_FOR_RETRY + " WHERE id = ? AND status IN "
                            + "('FAILED', 'CANCELLED') RETURNING *) SELECT x.*, pg_notify(?, ?) FROM x",
                    ROWS,
                    id,
                    channel,
                    event(TaskEventType.SUBMITTED, id, nodeId));
        } catch (DuplicateKeyException ex) {
            TaskInfo task = stored(id);
            UUID holder = query(() -> jdbc.query(
                            "SELECT id FROM " + tasks + " WHERE unique_key = ? AND status IN "
                                    + "('PENDING', 'RETRY', 'STARTED')",
                            (rs, n) -> rs.getObject(1, UUID.class),
                            task.uniqueKey()))
                    .stream()
                    .findFirst()
                    .orElse(null);
            throw Refusals.uniqueKeyHeld(id, task.status(), holder, task.uniqueKey());
        } catch (DataAccessException ex) {
            throw failure(ex);
        }
        if (rows.isEmpty()) {
            throw Refusals.cannotRetry(id, stored(id).status());
        }
        return LiveTask.of(rows.get(0));
    }

    @Override
    public RetriedTasks retryFailed(String category, Collection<String> runnableNames) {
        ensureOpen();
        String categoryClause = category == null ? "" : " AND category = ?";
        List<Object> countArgs = category == null ? List.of() : List.of(category);
        Integer total = query(() -> jdbc.queryForObject(
                "SELECT count(*) FROM " + tasks + " WHERE status = 'FAILED'" + categoryClause,
                Integer.class,
                countArgs.toArray()));
        if (total == null || total == 0 || runnableNames.isEmpty()) {
            return new RetriedTasks(List.of(), total == null ? 0 : total);
        }
        List<Object> args = new ArrayList<>(countArgs);
        args.add(runnableNames.toArray(String[]::new));
        args.add(channel);
        args.add(nodeId);
        // a unique key binds one unfinished task: tasks whose key is held stay FAILED, and of several FAILED tasks with
        // one key only the newest runs again
        List<TaskInfo> rows = query(() -> jdbc.query(
                "WITH x AS (UPDATE " + tasks + " t SET " + RESET_FOR_RETRY
                        + " WHERE t.status = 'FAILED'" + categoryClause.replace("category", "t.category")
                        + " AND t.name = ANY(?) AND (t.unique_key IS NULL OR (NOT EXISTS (SELECT 1 FROM " + tasks
                        + " h "
                        + "WHERE h.unique_key = t.unique_key AND h.status IN ('PENDING', 'RETRY', 'STARTED')) AND t.id = "
                        + "(SELECT n.id FROM " + tasks + " n WHERE n.unique_key = t.unique_key AND n.status = 'FAILED' "
                        + "ORDER BY n.created_at DESC, n.id DESC LIMIT 1))) RETURNING t.*) "
                        + "SELECT x.*, pg_notify(?, 'e:SUBMITTED:' || x.id || ':' || ?) FROM x",
                ROWS,
                args.toArray()));
        List<LiveTask> reset = new ArrayList<>(rows.size());
        rows.stream()
                .sorted(Comparator.comparing(TaskInfo::createdAt).thenComparing(TaskInfo::id))
                .forEach(row -> reset.add(LiveTask.of(row)));
        return new RetriedTasks(reset, total);
    }

    @Override
    public void delete(UUID id) {
        ensureOpen();
        int deleted = query(() -> jdbc.update("DELETE FROM " + tasks + " WHERE id = ? AND status IN " + ENDED, id));
        if (deleted == 0) {
            throw Refusals.cannotDelete(id, stored(id).status());
        }
    }

    @Override
    public int deleteCompletedBefore(Instant cutoff) {
        ensureOpen();
        return query(() -> jdbc.update(
                "DELETE FROM " + tasks + " WHERE status IN " + ENDED + " AND completed_at < ?", ts(cutoff)));
    }

    // ---- reads ----

    @Override
    public Optional<TaskInfo> find(UUID id) {
        ensureOpen();
        Claim claim = claims.get(id);
        if (claim != null) {
            return Optional.of(claim.task().snapshot());
        }
        return query(() -> jdbc.query("SELECT " + COLUMNS + " FROM " + tasks + " WHERE id = ?", ROWS, id)).stream()
                .findFirst();
    }

    private TaskInfo stored(UUID id) {
        return find(id).orElseThrow(() -> new TaskNotFoundException(id));
    }

    @Override
    public TaskPage list(TaskFilter filter) {
        ensureOpen();
        List<Object> args = new ArrayList<>(5);
        String where = TaskQueries.where(filter, args);
        Long total =
                query(() -> jdbc.queryForObject("SELECT count(*) FROM " + tasks + where, Long.class, args.toArray()));
        args.add(filter.limit());
        args.add(filter.offset());
        List<TaskInfo> rows = query(() -> jdbc.query(
                "SELECT " + COLUMNS + " FROM " + tasks + where + "" + TaskSql.NEWEST_FIRST + " LIMIT ? OFFSET ?",
                ROWS,
                args.toArray()));
        List<TaskInfo> page = new ArrayList<>(rows.size());
        for (TaskInfo row : rows) {
            Claim claim = claims.get(row.id());
            page.add(claim == null ? row : claim.task().snapshot());
        }
        return new TaskPage(page, total == null ? 0 : total, filter.limit(), filter.offset());
    }

    @Override
    public TaskCounts counts() {
        ensureOpen();
        return query(() -> TaskQueries.counts(jdbc, tasks));
    }

    @Override
    public io.gobstopper.tasks.TaskAnalytics analytics(
            Duration since, Instant now, io.gobstopper.tasks.TaskAnalytics.GroupBy groupBy) {
        ensureOpen();
        return query(() -> TaskQueries.analytics(jdbc, DIALECT, tasks, "?", ts(now.minus(since)), since, groupBy));
    }

    @Override
    public Set<io.gobstopper.tasks.ExportFormat> exportFormats() {
        return Set.of(io.gobstopper.tasks.ExportFormat.CSV, io.gobstopper.tasks.ExportFormat.JSON);
    }

    /** Streams csv or json row by row (a cursor in a read-only transaction, so the rows are never all in memory). */
    @Override
    public void export(TaskFilter filter, io.gobstopper.tasks.ExportFormat format, java.io.OutputStream out)
            throws java.io.IOException {
        ensureOpen();
        List<String> columns = new ArrayList<>();
        for (String column : TextExport.COLUMNS) {
            if (column.endsWith("_at")) {
                columns.add("to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')");
            } else if (column.equals("depends_on")) {
                columns.add("array_to_string(depends_on, ',')");
            } else {
                columns.add(column + "::text");
            }
        }
        List<Object> args = new ArrayList<>(3);
        String sql = "SELECT " + String.join(", ", columns) + " FROM " + tasks + TaskQueries.where(filter, args)
                + " ORDER BY created_at DESC, id DESC";
        JdbcTemplate cursor = new JdbcTemplate(dataSource);
        cursor.setFetchSize(500);
        try (TextExport export = new TextExport(out, format)) {
            String[] values = new String[columns.size()];
            query(() -> transactions.execute(status -> {
                cursor.query(
                        sql,
                        rs -> {
                            for (int i = 0; i < values.length; i++) {
                                values[i] = rs.getString(i + 1);
                            }
                            try {
                                export.row(values);
                            } catch (java.io.IOException ex) {
                                throw new java.io.UncheckedIOException(ex);
                            }
                        },
                        args.toArray());
                return null;
            }));
        } catch (java.io.UncheckedIOException ex) {
            throw ex.getCause();
        }
    }

    @Override
    public List<TaskInfo> recentFailures(int limit) {
        ensureOpen();
        return query(() -> jdbc.query(
                "SELECT " + COLUMNS + " FROM " + tasks + " WHERE status = 'FAILED' "
                        + "ORDER BY completed_at DESC, id DESC LIMIT ?",
                ROWS,
                limit));
    }

    @Override
    public List<NodeInfo> nodes() {
        ensureOpen();
        List<NodeInfo> found = query(() -> jdbc.query(
                "SELECT node_id, started_at, last_seen, running FROM " + nodes
                        + " WHERE last_seen > now() - make_interval(secs => ?) ORDER BY node_id",
                (rs, n) -> new NodeInfo(
                        rs.getString(1),
                        instant(rs, 2),
                        instant(rs, 3),
                        rs.getInt(4),
                        rs.getString(1).equals(nodeId)),
                leaseSeconds));
        List<NodeInfo> ordered = new ArrayList<>(found.size());
        found.stream().filter(NodeInfo::self).forEach(ordered::add);
        found.stream().filter(node -> !node.self()).forEach(ordered::add);
        return ordered;
    }

    // ---- schedules ----

    @Override
    public Map<String, ScheduleState> scheduleStates() {
        ensureOpen();
        Map<String, ScheduleState> states = new TreeMap<>();
        query(() -> {
            jdbc.query("SELECT name, paused, last_fire_at FROM " + schedules, rs -> {
                states.put(rs.getString(1), new ScheduleState(rs.getBoolean(2), instant(rs, 3)));
            });
            return null;
        });
        return states;
    }

    @Override
    public void pauseSchedule(String name) {
        ensureOpen();
        query(() -> jdbc.update(
                "INSERT INTO " + schedules + " (name, paused) VALUES (?, true) ON CONFLICT (name) DO "
                        + "UPDATE SET paused = true",
                name));
    }

    @Override
    public void resumeSchedule(String name, Instant now) {
        ensureOpen();
        query(() -> jdbc.update(
                "INSERT INTO " + schedules + " AS s (name, paused, last_fire_at) VALUES (?, false, ?) "
                        + "ON CONFLICT (name) DO UPDATE SET paused = false, last_fire_at = greatest(s.last_fire_at, "
                        + "excluded.last_fire_at)",
                name,
                ts(now)));
    }

    @Override
    public boolean insertScheduled(LiveTask task, String name, Instant fireTime) {
        ensureOpen();
        TaskInfo row = task.snapshot();
        List<Object> args = new ArrayList<>(List.of(name, ts(fireTime)));
        args.addAll(insertArgs(row));
        args.add(channel);
        args.add(event(TaskEventType.SUBMITTED, row.id(), nodeId));
        // one statement: the fire time's compare-and-set and the run's row commit together, on whichever instance;
        // a schedule paused on any instance fires on none
        Long stored = query(() -> jdbc.queryForObject(
                "WITH s AS (INSERT INTO " + schedules + " AS s (name, paused, "
                        + "last_fire_at) VALUES (?, false, ?) ON CONFLICT (name) DO UPDATE SET last_fire_at = "
                        + "excluded.last_fire_at WHERE NOT s.paused AND (s.last_fire_at IS NULL OR s.last_fire_at < "
                        + "excluded.last_fire_at) RETURNING name), i AS (" + INSERT_INTO.formatted(tasks) + "SELECT "
                        + INSERT_VALUES + " FROM s "
                        + "RETURNING id) "
                        + "SELECT count(*) FROM i, LATERAL (SELECT pg_notify(?, ?)) n",
                Long.class,
                args.toArray()));
        return stored != null && stored > 0;
    }

    @Override
    public void check() {
        ensureOpen();
        query(() -> jdbc.queryForObject("SELECT count(*) FROM " + schema + ".gobstopper_schema", Integer.class));
    }

    @Override
    public synchronized void close() {
        if (!open) {
            return;
        }
        open = false;
        if (leases != null) {
            leases.shutdownNow();
        }
        if (listener != null) {
            listener.stop();
        }
        List<Claim> held = List.copyOf(claims.values());
        claims.clear();
        try {
            if (!held.isEmpty()) {
                // claimed but not started, or still running past the shutdown timeout: free for the others at once
                int released = jdbc.update(
                        "UPDATE " + tasks + " SET status = 'PENDING', started_at = NULL, "
                                + "progress = 0, progress_message = NULL, lease_until = NULL, cancel_requested = false "
                                + "WHERE id = ANY(CAST(? AS UUID[])) AND node_id = ? AND status = 'STARTED'",
                        uuidArray(held.stream().map(claim -> claim.task().id()).toList()),
                        nodeId);
                jdbc.queryForObject("SELECT 1 FROM (SELECT pg_notify(?, ?)) n", Integer.class, channel, WORK);
                log.info("Node {} released {} claimed tasks for the other instances", nodeId, released);
            }
            jdbc.update("DELETE FROM " + nodes + " WHERE node_id = ? AND token = ?", nodeId, token);
        } catch (DataAccessException ex) {
            log.warn(
                    "Node {} could not release its tasks at shutdown; the others take them over once its lease of {} "
                            + "expires: {}",
                    nodeId,
                    leaseTimeout,
                    ex.getMessage());
        }
        log.debug("Closed the shared task store {}", location());
    }

    /** Tasks by id, as stored. */
    private Map<UUID, TaskInfo> rows(Set<UUID> ids) {
        Map<UUID, TaskInfo> rows = new HashMap<>();
        jdbc.query(
                "SELECT " + COLUMNS + " FROM " + tasks + " WHERE id = ANY(CAST(? AS UUID[]))",
                rs -> {
                    TaskInfo row = ROWS.mapRow(rs, 0);
                    rows.put(row.id(), row);
                },
                uuidArray(ids));
        return rows;
    }

    private void ensureOpen() {
        if (!open) {
            throw new TaskQueueUnavailableException("The shared task store " + schema + " is not open");
        }
    }

    private TaskStoreException failure(DataAccessException ex) {
        return new TaskStoreException("The shared task store " + schema + " could not answer: " + ex.getMessage(), ex);
    }

    private <T> T query(Supplier<T> query) {
        try {
            return query.get();
        } catch (DataAccessException ex) {
            throw failure(ex);
        }
    }
}
