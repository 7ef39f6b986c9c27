package io.gobstopper.tasks.store.postgres;

import static io.gobstopper.tasks.store.postgres.PostgresRows.COLUMNS;
import static io.gobstopper.tasks.store.postgres.PostgresRows.DIALECT;
import static io.gobstopper.tasks.store.postgres.PostgresRows.ROWS;
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
import io.gobstopper.tasks.TaskStoreUnavailableException;
import io.gobstopper.tasks.event.TaskEventType;
import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.Refusals;
import io.gobstopper.tasks.store.SharedStoreSignals;
import io.gobstopper.tasks.store.SharedTaskStore;
import io.gobstopper.tasks.store.TaskChange;
import io.gobstopper.tasks.store.TaskExport;
import io.gobstopper.tasks.store.TaskStore;
import io.gobstopper.tasks.store.UniqueKeyTakenException;
import io.gobstopper.tasks.store.jdbc.ConnectionLoss;
import io.gobstopper.tasks.store.jdbc.TaskQueries;
import io.gobstopper.tasks.store.jdbc.TaskSql;
import io.gobstopper.tasks.store.support.GroupCommitWriter;
import io.gobstopper.tasks.store.support.StoreGate;
import io.gobstopper.tasks.store.support.TextExport;
import io.gobstopper.tasks.store.support.TrackedTask;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tasks in PostgreSQL, shared by every instance that points at the same schema.
 *
 * <p>Instances claim due tasks with one guarded statement for all the categories they serve ({@code FOR UPDATE SKIP
 * LOCKED} plus the change to STARTED), so no task is claimed twice. A claim makes the task this instance's: it
 * carries the instance's {@code node_id}, a lease that the instance renews while the task runs, and a fence number
 * that grows with every claim. Every later write of the run names the fence, so a worker whose lease expired and whose
 * task another instance took over cannot record anything: its write changes no row, and it is logged. Instances whose
 * lease expired (a crash, a long pause) have their tasks taken back by whichever instance sweeps first, and run again.
 *
 * <p>Writes are batched through a {@link GroupCommitWriter}: the submits made outside a caller's transaction, and the
 * outcomes and progress of the runs, of many tasks go into one transaction, one statement per kind, with at most one
 * notification at its commit ({@link PostgresWrites}); each is answered once that transaction committed. A submit
 * inside a Spring transaction on this data source runs on that transaction's connection and commits or rolls back
 * with it. {@code LISTEN/NOTIFY} wakes the other instances when there is work, and carries task events only while an
 * instance wants them ({@link Notices}); polling is the backstop.
 *
 * <p>While the database cannot be reached, a {@link StoreGate} refuses requests at once with
 * {@link TaskStoreUnavailableException} rather than letting each wait out the pool, and probes the database every
 * second; the outcomes of runs that end meanwhile are kept and written, fenced as ever, once it answers again.
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

    /** How long a change may wait before the writer takes it; the shared store writes no change behind, so unused. */
    private static final Duration NO_WRITE_DELAY = Duration.ofSeconds(1);

    /** How long a request waits for the database, by default, before it is refused as unavailable. */
    public static final Duration DEFAULT_UNAVAILABLE_TIMEOUT = Duration.ofSeconds(1);

    /** How often the database is asked whether it answers again while it is away. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final String schema;
    private final String tasks;
    private final String schedules;
    private final String nodes;
    private final String channel;
    private final String nodeId;
    private final Duration leaseTimeout;
    private final double leaseSeconds;
    private final Duration pollInterval;
    private final PostgresClaims claims;
    private final PostgresLeases leases;
    private final PostgresEstimates estimates;
    private final StoreGate gate;

    private volatile SharedStoreSignals signals = NO_SIGNALS;
    private volatile Consumer<List<LiveTask>> committed = tasks -> {};
    private volatile boolean open;
    private PostgresWrites writes;
    private GroupCommitWriter<PostgresWrites.Tx> writer;
    private PostgresListener listener;

    /**
     * @param dataSource where the tasks live; the application's, so that submits join its transactions
     * @param schema the PostgreSQL schema of the store's tables (created when missing): a plain lower-case identifier
     * @param nodeId this instance's name, unique among the instances that share the schema
     * @param leaseTimeout how long a silent instance keeps its running tasks before the others take them over
     * @param pollInterval how often the instance looks for work besides being notified, and sweeps
     */
    public PostgresTaskStore(
            DataSource dataSource, String schema, String nodeId, Duration leaseTimeout, Duration pollInterval) {
        this(dataSource, schema, nodeId, leaseTimeout, pollInterval, DEFAULT_UNAVAILABLE_TIMEOUT);
    }

    /**
     * @param dataSource where the tasks live; the application's, so that submits join its transactions
     * @param schema the PostgreSQL schema of the store's tables (created when missing): a plain lower-case identifier
     * @param nodeId this instance's name, unique among the instances that share the schema
     * @param leaseTimeout how long a silent instance keeps its running tasks before the others take them over
     * @param pollInterval how often the instance looks for work besides being notified, and sweeps
     * @param unavailableTimeout what requests refused while the database is away are told to wait, and the bound of
     *     each probe's query; give the data source's pool a connection timeout no longer than this, since that is
     *     how long the first request that meets the outage waits
     */
    public PostgresTaskStore(
            DataSource dataSource,
            String schema,
            String nodeId,
            Duration leaseTimeout,
            Duration pollInterval,
            Duration unavailableTimeout) {
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
        if (unavailableTimeout == null || unavailableTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("unavailableTimeout must be at least 250ms, got " + unavailableTimeout);
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
        this.claims = new PostgresClaims(jdbc, schema, channel, nodeId, leaseSeconds);
        this.leases = new PostgresLeases(jdbc, schema, channel, nodeId, leaseTimeout, claims, () -> signals);
        this.estimates = new PostgresEstimates(jdbc, tasks);
        JdbcTemplate probe = new JdbcTemplate(dataSource);
        probe.setQueryTimeout((int) Math.max(1, unavailableTimeout.toSeconds()));
        this.gate = new StoreGate(
                "the shared task store " + schema,
                ConnectionLoss::isConnectionLoss,
                () -> probe.queryForObject("SELECT 1", Integer.class),
                PROBE_INTERVAL,
                unavailableTimeout);
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
            leases.register();
        } catch (DataAccessException | TransactionException ex) {
            RuntimeException failure = ex;
            throw new TaskStoreException(
                    "Could not prepare the task schema " + location + ": " + failure.getMessage(), failure);
        }
        open = true;
        writes = new PostgresWrites(dataSource, schema, channel, nodeId);
        writer = new GroupCommitWriter<>(writes, committed, task -> {}, NO_WRITE_DELAY, "gobstopper-pg-writer");
        writer.start();
        listener = new PostgresListener(
                dataSource,
                channel,
                schema,
                nodeId,
                () -> signals,
                claims::holds,
                this::rows,
                () -> open,
                gate::failed);
        listener.start();
        leases.start();
        log.info("Node {} works on the shared task store {}", nodeId, location);
        return List.of();
    }

    // ---- submitting ----

    /**
     * Stores new tasks: inside a Spring transaction on this data source on its connection (they exist for others once
     * it commits, and never if it rolls back), else through the writer, many submits to one commit.
     */
    @Override
    public CompletableFuture<Void> insert(List<LiveTask> batch, boolean atomic) {
        ensureOpen();
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            return gated(writer.insert(batch.stream().map(TrackedTask::unstored).toList(), atomic));
        }
        try {
            Connection connection = DataSourceUtils.getConnection(dataSource);
            try {
                List<TaskInfo> rows = batch.stream().map(LiveTask::snapshot).toList();
                PostgresWrites.insert(connection, tasks, rows, channel, PostgresWrites.insertNotices(rows, nodeId));
            } finally {
                DataSourceUtils.releaseConnection(connection, dataSource);
            }
        } catch (UniqueKeyTakenException ex) {
            return CompletableFuture.failedFuture(ex);
        } catch (SQLException | RuntimeException ex) {
            TaskStoreUnavailableException away = gate.failed(ex);
            return CompletableFuture.failedFuture(
                    away != null
                            ? away
                            : new TaskStoreException(
                                    "The task store " + schema + " could not store the task: " + ex.getMessage(), ex));
        }
        // the rows exist for others once the application's transaction commits, and never if it rolls back
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                committed.accept(batch);
            }
        });
        return CompletableFuture.completedFuture(null);
    }

    /** The notifications of new waiting tasks: look for work, and their events. */
    private List<String> submitted(List<UUID> ids) {
        return Notices.of(
                true,
                ids.stream()
                        .map(id -> new Notices.Event(TaskEventType.SUBMITTED, id))
                        .toList(),
                nodeId);
    }

    /** Sends notifications on the current connection (of a transaction, they go out when it commits). */
    private void notify(List<String> notices) {
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            PostgresNotify.send(connection, channel, notices);
            return null;
        });
    }

    /** An insert of the values of {@link #insertArgs}; {@code %s} stands for the table. */
    private static final String INSERT_INTO = "INSERT INTO %s (" + PostgresWrites.INSERTED_COLUMNS + ") ";

    private static final String INSERT_VALUES = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS UUID[]), ?, ?";

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
    public List<LiveTask> claim(Map<String, Integer> wanted, Collection<String> runnableNames, Instant now) {
        ensureOpen();
        Map<String, Integer> some = new java.util.LinkedHashMap<>();
        wanted.forEach((category, max) -> {
            if (max != null && max > 0) {
                some.put(category, max);
            }
        });
        if (some.isEmpty() || (runnableNames != null && runnableNames.isEmpty())) {
            return List.of();
        }
        return query(() -> claims.claim(some, runnableNames, now));
    }

    @Override
    public void unclaim(List<LiveTask> given) {
        ensureOpen();
        query(() -> claims.unclaim(given));
    }

    @Override
    public LiveTask tracked(UUID id) {
        PostgresClaims.Claim claim = claims.get(id);
        return claim == null ? null : claim.task();
    }

    /**
     * Applies a change to a task this instance claimed and writes it, fenced: a start was stored by the claim; an
     * outcome is turned away by a cancel requested in the store (see {@link #applyAsync}); any write fails once
     * another instance took the task over.
     */
    @Override
    public boolean apply(LiveTask task, TaskChange change) {
        if (change instanceof TaskChange.Start) {
            return claims.holds(task.id()) && task.apply(change); // the claim stored the start
        }
        if (ends(change) || change instanceof TaskChange.Progress) {
            return TaskStore.await(applyAsync(task, change).toCompletableFuture());
        }
        // a cancel of a task claimed but not started, or a release at shutdown: rare, written at once
        return task.apply(change) && write(task, change);
    }

    /**
     * Writes the end of a claimed task's run, or its progress, with those of other tasks in one transaction, and
     * answers after its commit. An outcome is recorded unless a cancel was requested for the task in the store (from
     * any instance) first: then, as in memory, the request wins, the outcome is not recorded and the task is marked to
     * be stopped. An end forgets the claim before it is written (and takes it back when a cancel request turns an
     * outcome away), so the lease keeper never mistakes the end for a lost lease; a local cancel meanwhile goes to
     * the store, where the write or the request comes first.
     */
    @Override
    public CompletionStage<Boolean> applyAsync(LiveTask task, TaskChange change) {
        if (change instanceof TaskChange.Progress) {
            PostgresClaims.Claim claim = claims.get(task.id());
            if (claim == null || !gate.available() || !task.apply(change)) { // progress is dropped while away
                return CompletableFuture.completedFuture(false);
            }
            return writer.add(writes.progress, new PostgresWrites.Progress(task, claim.fence()));
        }
        if (!ends(change)) {
            return SharedTaskStore.super.applyAsync(task, change);
        }
        TaskInfo state;
        PostgresClaims.Claim claim;
        synchronized (task) { // one decision with a cancel here: the outcome and the claim's end, or the request
            LiveTask next = task.copy();
            if (!next.apply(change)) {
                return CompletableFuture.completedFuture(false);
            }
            state = next.snapshot();
            claim = claims.remove(task.id());
        }
        if (claim == null) {
            lost(state);
            return CompletableFuture.completedFuture(false);
        }
        PostgresWrites.Ending ending =
                new PostgresWrites.Ending(state, claim.fence(), TaskChange.isOutcome(change), change.event());
        return untilWritten(() -> writer.add(writes.endings, ending)).thenApply(written -> switch (written) {
            case WRITTEN -> {
                task.apply(change);
                yield true;
            }
            case CANCEL_REQUESTED -> {
                claims.putBack(claim);
                task.requestCancel();
                yield false;
            }
            case LOST -> {
                lost(state);
                yield false;
            }
        });
    }

    /**
     * Writes, and while the database cannot be reached keeps the write and tries again once it answers: the outcome of
     * a run is not lost to an outage (its fence still decides whether it is recorded).
     */
    private <R> CompletableFuture<R> untilWritten(Supplier<CompletableFuture<R>> write) {
        CompletableFuture<R> written = new CompletableFuture<>();
        attempt(write, written);
        return written;
    }

    private <R> void attempt(Supplier<CompletableFuture<R>> write, CompletableFuture<R> written) {
        if (!open) {
            written.completeExceptionally(new TaskQueueUnavailableException(
                    "The shared task store " + schema + " closed before a run's outcome could be written; the task "
                            + "runs again once its lease expires"));
            return;
        }
        if (!gate.available()) {
            keep(write, written);
            return;
        }
        CompletableFuture<R> attempt;
        try {
            attempt = write.get();
        } catch (RuntimeException ex) {
            written.completeExceptionally(ex);
            return;
        }
        attempt.whenComplete((result, error) -> {
            if (error == null) {
                written.complete(result);
            } else if (open && gate.failed(error) != null) {
                keep(write, written);
            } else {
                written.completeExceptionally(error);
            }
        });
    }

    private <R> void keep(Supplier<CompletableFuture<R>> write, CompletableFuture<R> written) {
        log.info("Keeping a run's outcome until the shared task store {} answers again", schema);
        gate.whenAvailable(() -> attempt(write, written));
    }

    /** A write's failure for lack of a connection becomes the gate's refusal, which says when to try again. */
    private <T> CompletableFuture<T> gated(CompletableFuture<T> write) {
        return write.exceptionallyCompose(error -> {
            TaskStoreUnavailableException away = gate.failed(error);
            return CompletableFuture.failedFuture(away != null ? away : error);
        });
    }

    /** Whether a change ends a claimed task's run: an outcome, a stop, or a rejection of a task that cannot run. */
    private static boolean ends(TaskChange change) {
        return TaskChange.isOutcome(change) || change instanceof TaskChange.Stop || change instanceof TaskChange.Reject;
    }

    /**
     * Writes a claimed task's new state at once, fenced: only while the task is still this instance's claim. For the
     * rare changes that are not batched: a cancel before the run started, a release at shutdown.
     */
    private boolean write(LiveTask task, TaskChange change) {
        TaskInfo state = task.snapshot();
        PostgresClaims.Claim claim = claims.remove(task.id());
        if (claim == null) {
            lost(state);
            return false;
        }
        boolean released = state.status() == TaskStatus.PENDING;
        List<String> notices = released
                ? List.of(Notices.WORK)
                : Notices.of(false, List.of(new Notices.Event(change.event(), state.id())), nodeId);
        Integer written = query(() -> transactions.execute(status -> {
            int rows = jdbc.update(
                    "UPDATE " + tasks + " SET status = ?, started_at = ?, completed_at = ?, run_at = ?, error = ?, "
                            + "progress = ?, progress_message = ?, cancel_requested = false, lease_until = NULL "
                            + "WHERE id = ? AND status = 'STARTED' AND node_id = ? AND fence = ?",
                    state.status().name(),
                    ts(state.startedAt()),
                    ts(state.completedAt()),
                    ts(state.runAt()),
                    text(state.error()),
                    state.progress(),
                    text(state.progressMessage()),
                    state.id(),
                    nodeId,
                    claim.fence());
            if (rows > 0) {
                notify(notices);
            }
            return rows;
        }));
        if (written != null && written > 0) {
            return true;
        }
        lost(state);
        return false;
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

    @Override
    public void sweep(Instant now) {
        if (open && gate.available()) {
            leases.sweep(now);
        }
    }

    @Override
    public Map<String, Waiting> waiting(Instant now) {
        return waiting(now, null);
    }

    @Override
    public Map<String, Waiting> waiting(Instant now, Collection<String> runnableNames) {
        ensureOpen();
        Map<String, Waiting> due = new TreeMap<>();
        List<Object> args = new ArrayList<>();
        args.add(ts(now));
        if (runnableNames != null) {
            args.add(runnableNames.toArray(String[]::new));
        }
        housekeeping(() -> {
            jdbc.query(
                    "SELECT t.category, count(*), min(coalesce(t.run_at, t.created_at)) FROM " + tasks + " t "
                            + "WHERE t.status IN "
                            + "('PENDING', 'RETRY') AND (t.run_at IS NULL OR t.run_at <= ?) AND (t.depends_on IS NULL OR NOT "
                            + "EXISTS (SELECT 1 FROM " + tasks
                            + " p WHERE p.id = ANY(t.depends_on) AND p.status <> 'SUCCESS'))"
                            + (runnableNames == null ? "" : " AND t.name = ANY(?)") + " GROUP BY t.category",
                    rs -> {
                        due.put(rs.getString(1), new Waiting(rs.getLong(2), instant(rs, 3)));
                    },
                    args.toArray());
            return null;
        });
        query(() ->
                estimates.check(due.values().stream().mapToLong(Waiting::count).sum(), now));
        return due;
    }

    @Override
    public Map<String, Long> waitingOutside(Collection<String> runnableNames) {
        ensureOpen();
        Map<String, Long> waiting = new TreeMap<>();
        housekeeping(() -> {
            jdbc.query(
                    "SELECT name, count(*) FROM " + tasks + " WHERE status IN ('PENDING', 'RETRY') AND NOT "
                            + "(name = ANY(?)) GROUP BY name",
                    rs -> {
                        waiting.put(rs.getString(1), rs.getLong(2));
                    },
                    (Object) runnableNames.toArray(String[]::new));
            return null;
        });
        return waiting;
    }

    @Override
    public List<TaskInfo> failWaiting(String name, String error, Instant now) {
        ensureOpen();
        return query(() -> transactions.execute(status -> {
            List<TaskInfo> failed = jdbc.query(
                    "WITH x AS (UPDATE " + tasks + " SET status = 'FAILED', error = ?, completed_at = ?, run_at = NULL "
                            + "WHERE name = ? AND status IN ('PENDING', 'RETRY') RETURNING *) SELECT x.* FROM x",
                    ROWS,
                    error,
                    ts(now),
                    name);
            if (!failed.isEmpty()) { // their dependants are cancelled by the next sweep
                notify(Notices.of(
                        false,
                        failed.stream()
                                .map(task -> new Notices.Event(TaskEventType.FAILED, task.id()))
                                .toList(),
                        Notices.NO_NODE));
            }
            return failed;
        }));
    }

    @Override
    public int deleteWaiting(String name) {
        ensureOpen();
        return query(
                () -> jdbc.update("DELETE FROM " + tasks + " WHERE name = ? AND status IN ('PENDING', 'RETRY')", name));
    }

    @Override
    public Optional<Instant> nextDue(Instant now) {
        ensureOpen();
        return Optional.ofNullable(query(() -> jdbc.query(
                "SELECT min(run_at) FROM " + tasks + " WHERE status IN ('PENDING', 'RETRY') AND run_at IS NOT NULL "
                        + "AND run_at > ?",
                rs -> rs.next() ? instant(rs, 1) : null,
                ts(now))));
    }

    // ---- managing ----

    @Override
    public TaskInfo cancel(UUID id, Instant now) {
        ensureOpen();
        synchronized (claims.lock) {
            return cancelHeld(id, now);
        }
    }

    private TaskInfo cancelHeld(UUID id, Instant now) {
        PostgresClaims.Claim claim = claims.get(id);
        if (claim != null) {
            LiveTask task = claim.task();
            TaskInfo asked;
            boolean cancelled;
            synchronized (task) { // one decision: a start, or a run's end, cannot slip in between the two
                boolean ending = claims.get(id) != claim; // its end is on its way to the store: the store decides
                asked = ending ? null : task.requestCancel();
                cancelled = !ending && asked == null && apply(task, new TaskChange.Cancel(null, now));
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
        List<TaskInfo> waiting = query(() -> transactions.execute(status -> {
            List<TaskInfo> rows = jdbc.query(
                    "UPDATE " + tasks + " SET status = 'CANCELLED', completed_at = ?, run_at = NULL WHERE id = ? "
                            + "AND status IN ('PENDING', 'RETRY') RETURNING *",
                    ROWS,
                    ts(now),
                    id);
            if (!rows.isEmpty()) {
                notify(Notices.of(false, List.of(new Notices.Event(TaskEventType.CANCELLED, id)), nodeId));
            }
            return rows;
        }));
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
                Notices.cancelRequest(id)));
        if (!running.isEmpty()) {
            return running.get(0); // its instance hears of it, interrupts the run, and records it CANCELLED
        }
        throw Refusals.cannotCancel(id, stored(id).status());
    }

    /** Cancels the tasks waiting for a task that was just cancelled, and tells those who listen. */
    private void cancelDependants(Instant now, UUID parent) {
        query(() -> transactions.execute(status ->
                jdbc.execute((org.springframework.jdbc.core.ConnectionCallback<Void>) connection -> {
                    List<UUID> cancelled = PostgresWrites.cancelDependants(connection, tasks, List.of(parent), now);
                    PostgresNotify.send(
                            connection,
                            channel,
                            Notices.of(
                                    false,
                                    cancelled.stream()
                                            .map(id -> new Notices.Event(TaskEventType.CANCELLED, id))
                                            .toList(),
                                    Notices.NO_NODE));
                    return null;
                })));
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
                    submitted(List.of(id)).get(0));
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
        // a unique key binds one unfinished task: tasks whose key is held stay FAILED, and of several FAILED tasks with
        // one key only the newest runs again
        List<TaskInfo> rows = query(() -> transactions.execute(status -> {
            List<TaskInfo> reset = jdbc.query(
                    "WITH x AS (UPDATE " + tasks + " t SET " + RESET_FOR_RETRY
                            + " WHERE t.status = 'FAILED'" + categoryClause.replace("category", "t.category")
                            + " AND t.name = ANY(?) AND (t.unique_key IS NULL OR (NOT EXISTS (SELECT 1 FROM " + tasks
                            + " h "
                            + "WHERE h.unique_key = t.unique_key AND h.status IN ('PENDING', 'RETRY', 'STARTED')) AND t.id = "
                            + "(SELECT n.id FROM " + tasks
                            + " n WHERE n.unique_key = t.unique_key AND n.status = 'FAILED' "
                            + "ORDER BY n.created_at DESC, n.id DESC LIMIT 1))) RETURNING t.*) SELECT x.* FROM x",
                    ROWS,
                    args.toArray());
            if (!reset.isEmpty()) { // one notification for all of them
                notify(submitted(reset.stream().map(TaskInfo::id).toList()));
            }
            return reset;
        }));
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
        TaskInfo held = claims.snapshot(id);
        if (held != null) {
            return Optional.of(held);
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
            TaskInfo held = claims.snapshot(row.id());
            page.add(held == null ? row : held);
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
        args.add(submitted(List.of(row.id())).get(0));
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
    public void close() {
        GroupCommitWriter<PostgresWrites.Tx> closing;
        synchronized (this) {
            if (!open) {
                return;
            }
            closing = writer;
        }
        // what the runs recorded goes in first, and what that answered may still write (a stop after a refused outcome)
        for (int round = 0; round < 3; round++) {
            try {
                closing.flush().get(30, TimeUnit.SECONDS);
            } catch (Exception ex) {
                log.warn("Could not write everything the runs recorded before closing: {}", ex.toString());
                break;
            }
        }
        synchronized (this) {
            open = false;
            leases.stop();
            if (listener != null) {
                listener.stop();
            }
            gate.close();
            closing.close();
        }
        try {
            // claimed but not started, or still running past the shutdown timeout: free for the others at once
            int released = claims.releaseAll();
            if (released > 0) {
                log.info("Node {} released {} claimed tasks for the other instances", nodeId, released);
            }
            leases.deregister();
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

    /** Refuses while the store is closed, and at once while its database cannot be reached. */
    private void ensureOpen() {
        if (!open) {
            throw new TaskQueueUnavailableException("The shared task store " + schema + " is not open");
        }
        gate.check();
    }

    /** Why the database cannot be reached and since when, or {@code null} while it answers. */
    public String unavailable() {
        return gate.problem();
    }

    /** How many outcomes of runs that ended while the database could not be reached wait for its return. */
    public int keptOutcomes() {
        return gate.waiting();
    }

    private TaskStoreException failure(RuntimeException ex) {
        TaskStoreUnavailableException away = gate.failed(ex);
        if (away != null) {
            return away;
        }
        return new TaskStoreException("The shared task store " + schema + " could not answer: " + ex.getMessage(), ex);
    }

    /**
     * A read of the sweep, which counts over every waiting task: with JIT compilation off, which PostgreSQL otherwise
     * turns on once a backlog makes the estimated cost large, and which then took 30-50 ms of each count's 50 (on a
     * 20,000-task backlog, every poll interval).
     */
    private <T> T housekeeping(Supplier<T> read) {
        return query(() -> transactions.execute(status -> {
            jdbc.execute("SET LOCAL jit = off");
            return read.get();
        }));
    }

    private <T> T query(Supplier<T> query) {
        try {
            return query.get();
        } catch (DataAccessException | TransactionException ex) {
            throw failure(ex);
        }
    }
}
