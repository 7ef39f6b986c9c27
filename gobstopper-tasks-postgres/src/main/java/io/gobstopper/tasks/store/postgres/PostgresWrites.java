package io.gobstopper.tasks.store.postgres;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.event.TaskEventType;
import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.UniqueKeyTakenException;
import io.gobstopper.tasks.store.support.GroupCommitWriter;
import io.gobstopper.tasks.store.support.TaskWrite;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The shared store's side of the {@link GroupCommitWriter}: the inserts and the fenced state writes of many tasks go
 * into one transaction, one statement per kind ({@code INSERT ... SELECT FROM unnest(...)}, {@code UPDATE ... FROM
 * unnest(...)}), with at most one notification at its commit. A fenced write names the fence of its claim, so a write
 * of a task another instance took over changes no row; {@code RETURNING} tells which writes were fenced out.
 */
final class PostgresWrites implements GroupCommitWriter.BatchSink<PostgresWrites.Tx> {

    /** What became of a fenced write. */
    enum Written {
        WRITTEN,
        /** Another instance took the task over: nothing was recorded. */
        LOST,
        /** An outcome was not recorded because a cancel was requested in the store first; the claim stays. */
        CANCEL_REQUESTED
    }

    /**
     * A claimed task's end: its state to store, under the fence of its claim.
     *
     * @param outcome whether it is a run's outcome, which a cancel requested in the store turns away
     */
    record Ending(TaskInfo state, long fence, boolean outcome, TaskEventType event) {}

    /** A running task's progress, written as the task has it when its transaction is written. */
    record Progress(LiveTask task, long fence) {}

    /** One transaction of the writer, with what its commit is to notify. */
    static final class Tx {
        final Connection connection;
        /** Changes this instance made: the other instances hear of them. */
        final List<Notices.Event> events = new ArrayList<>();
        /** Changes the store made (dependants cancelled): every instance hears of them, this one too. */
        final List<Notices.Event> unowned = new ArrayList<>();

        boolean work;
        /** When the soonest task this transaction stored for later becomes due, or {@code null}. */
        Instant due;
        /** New tasks, inserted at the commit. */
        final List<TaskInfo> inserts = new ArrayList<>();
        /** Whether a statement ran in the transaction before its commit. */
        boolean wrote;

        Tx(Connection connection) {
            this.connection = connection;
        }

        void event(TaskEventType type, UUID id) {
            if (type != null) {
                events.add(new Notices.Event(type, id));
            }
        }

        /** A new task this transaction stores: its submit is an event, and it is work now or when it is due. */
        void submitted(TaskInfo task, Instant now) {
            dueAt(task.runAt(), now);
            event(TaskEventType.SUBMITTED, task.id());
        }

        /** A task this transaction stored is due at this time ({@code null}: at once). */
        void dueAt(Instant runAt, Instant now) {
            if (runAt == null || !runAt.isAfter(now)) {
                work = true;
            } else if (due == null || runAt.isBefore(due)) {
                due = runAt;
            }
        }

        void unowned(TaskEventType type, UUID id) {
            unowned.add(new Notices.Event(type, id));
        }

        List<String> notices(String nodeId) {
            List<String> notices = new ArrayList<>(Notices.of(work, due, events, nodeId));
            notices.addAll(Notices.of(false, unowned, Notices.NO_NODE));
            return notices;
        }
    }

    private final DataSource dataSource;
    private final String tasks;
    private final String channel;
    private final String nodeId;

    /** Ends of claimed tasks, one {@code UPDATE} for all of a transaction's. */
    final GroupCommitWriter.Batch<Tx, Ending, Written> endings = this::writeEndings;

    /** Progress of running tasks, one {@code UPDATE} for all of a transaction's. */
    final GroupCommitWriter.Batch<Tx, Progress, Boolean> progress = this::writeProgress;

    PostgresWrites(DataSource dataSource, String schema, String channel, String nodeId) {
        this.dataSource = dataSource;
        this.tasks = schema + ".tasks";
        this.channel = channel;
        this.nodeId = nodeId;
    }

    @Override
    public Tx begin() throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(false);
        } catch (SQLException ex) {
            connection.close();
            throw ex;
        }
        return new Tx(connection);
    }

    /** The columns a new task's row is written with, in this order. */
    static final String INSERTED_COLUMNS = "id, name, category, priority, max_retries, args, kwargs, created_at, "
            + "status, run_at, depends_on, unique_key, timeout_ms";

    private static final String INSERT = "INSERT INTO %s (" + INSERTED_COLUMNS + ") SELECT r.id, r.name, r.category, "
            + "r.priority, r.max_retries, r.args, r.kwargs, r.created_at, r.status, r.run_at, "
            + "CAST(r.depends_on AS UUID[]), r.unique_key, r.timeout_ms FROM unnest(CAST(? AS UUID[]), "
            + "CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS INTEGER[]), CAST(? AS INTEGER[]), CAST(? AS TEXT[]), "
            + "CAST(? AS TEXT[]), CAST(? AS TIMESTAMPTZ[]), CAST(? AS TEXT[]), CAST(? AS TIMESTAMPTZ[]), "
            + "CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS BIGINT[])) AS r(id, name, category, priority, "
            + "max_retries, args, kwargs, created_at, status, run_at, depends_on, unique_key, timeout_ms)";

    /**
     * Takes new tasks to insert at the commit, with its notifications in the same statement: a transaction of inserts
     * alone (an idle submit, say) is then one round trip, that statement committed by itself.
     */
    @Override
    public void insert(Tx tx, List<TaskWrite> rows) {
        Instant now = Instant.now();
        for (TaskWrite row : rows) {
            tx.inserts.add(row.task());
            tx.submitted(row.task(), now);
        }
    }

    /** The notifications of a transaction that inserts these tasks and nothing else (a caller's, say). */
    static List<String> insertNotices(List<TaskInfo> rows, String nodeId) {
        Tx tx = new Tx(null);
        Instant now = Instant.now();
        rows.forEach(row -> tx.submitted(row, now));
        return tx.notices(nodeId);
    }

    /**
     * Inserts tasks and sends notifications with one statement on a connection (the writer's, or a caller's in its
     * transaction); a unique key another unfinished task holds fails it whole.
     */
    static void insert(Connection connection, String table, List<TaskInfo> rows, String channel, List<String> notices)
            throws SQLException {
        int n = rows.size();
        String[] ids = new String[n];
        String[] names = new String[n];
        String[] categories = new String[n];
        Integer[] priorities = new Integer[n];
        Integer[] maxRetries = new Integer[n];
        String[] args = new String[n];
        String[] kwargs = new String[n];
        String[] created = new String[n];
        String[] statuses = new String[n];
        String[] runAt = new String[n];
        String[] parents = new String[n];
        String[] keys = new String[n];
        Long[] timeouts = new Long[n];
        for (int i = 0; i < n; i++) {
            TaskInfo task = rows.get(i);
            ids[i] = task.id().toString();
            names[i] = task.name();
            categories[i] = task.category();
            priorities[i] = task.priority().level();
            maxRetries[i] = task.maxRetries();
            args[i] = task.args();
            kwargs[i] = task.kwargs();
            created[i] = text(task.createdAt());
            statuses[i] = task.status().name();
            runAt[i] = text(task.runAt());
            parents[i] = task.dependsOn().isEmpty() ? null : PostgresRows.uuidArray(task.dependsOn());
            keys[i] = task.uniqueKey();
            timeouts[i] = task.timeout() == null ? null : task.timeout().toMillis();
        }
        // no join to plan: the generic plan of a server-prepared statement fits batches of any size
        try (PreparedStatement insert = connection.prepareStatement("WITH i AS (" + INSERT.formatted(table)
                + " RETURNING 1) SELECT (SELECT count(*) FROM i), pg_notify(?, p) FROM unnest(CAST(? AS TEXT[])) p")) {
            insert.setArray(1, connection.createArrayOf("text", ids));
            insert.setArray(2, connection.createArrayOf("text", names));
            insert.setArray(3, connection.createArrayOf("text", categories));
            insert.setArray(4, connection.createArrayOf("int4", priorities));
            insert.setArray(5, connection.createArrayOf("int4", maxRetries));
            insert.setArray(6, connection.createArrayOf("text", args));
            insert.setArray(7, connection.createArrayOf("text", kwargs));
            insert.setArray(8, connection.createArrayOf("text", created));
            insert.setArray(9, connection.createArrayOf("text", statuses));
            insert.setArray(10, connection.createArrayOf("text", runAt));
            insert.setArray(11, connection.createArrayOf("text", parents));
            insert.setArray(12, connection.createArrayOf("text", keys));
            insert.setArray(13, connection.createArrayOf("int8", timeouts));
            insert.setString(14, channel);
            insert.setArray(15, connection.createArrayOf("text", notices.toArray(String[]::new)));
            insert.execute();
        } catch (SQLException ex) {
            if ("23505".equals(ex.getSQLState())
                    && String.valueOf(ex.getMessage()).contains("tasks_unique_key")) {
                throw new UniqueKeyTakenException(rows.stream()
                        .map(TaskInfo::uniqueKey)
                        .filter(Objects::nonNull)
                        .toList());
            }
            throw ex;
        }
    }

    /** Nothing is written behind on the shared store: every state write is fenced and answered. */
    @Override
    public Set<UUID> update(Tx tx, List<TaskWrite> rows) {
        throw new UnsupportedOperationException("the shared store writes no deferred state");
    }

    @Override
    public void probe(Tx tx) throws SQLException {
        try (PreparedStatement probe = tx.connection.prepareStatement("SELECT 1")) {
            probe.execute();
        }
    }

    @Override
    public void commit(Tx tx) throws SQLException {
        try {
            List<String> notices = tx.notices(nodeId);
            if (tx.inserts.isEmpty()) {
                PostgresNotify.send(tx.connection, channel, notices);
                tx.connection.commit();
            } else if (tx.wrote) {
                insert(tx.connection, tasks, tx.inserts, channel, notices);
                tx.connection.commit();
            } else {
                tx.connection.setAutoCommit(true); // nothing else to write: the insert commits by itself
                insert(tx.connection, tasks, tx.inserts, channel, notices);
            }
        } finally {
            tx.connection.close();
        }
    }

    @Override
    public void rollback(Tx tx) {
        try (Connection connection = tx.connection) {
            connection.rollback();
        } catch (SQLException ex) {
            // the connection is gone with the transaction; the writer handles the failure that led here
        }
    }

    // ---- fenced writes ----

    /**
     * "The row is STARTED", worded so that no index on the status can serve it, for the updates that join a batch
     * ({@code UPDATE ... FROM unnest(...)}): they then always reach the rows through the primary key. With the plain
     * condition, a planner misled by statistics older than a burst of thousands of tasks drove the join from the
     * STARTED rows and scanned them again for every item of the batch (measured: 9 s for 14,500 outcomes instead of
     * 0.1 s).
     */
    static final String STARTED_BY_ID = "coalesce(t.status, '') = 'STARTED'";

    /**
     * Runs an update that joins a batch to its rows by id ({@code UPDATE ... FROM unnest(...) w WHERE t.id = w.id AND
     * t.id = ANY(...)}) with nested loops and sequential scans off, so that PostgreSQL reaches the rows through the
     * primary key and hashes the batch, however wrong its statistics: after a burst they can say "one STARTED row"
     * when there are thousands, and it then scanned the table (or the batch) once per row of the other, up to 365 ms
     * for a batch of 260 outcomes instead of 1-4 ms. The settings are the transaction's own and are set back after.
     */
    static <T> T joinedById(Connection connection, SqlWork<T> update) throws SQLException {
        try (Statement settings = connection.createStatement()) {
            settings.execute("SET LOCAL enable_nestloop = off; SET LOCAL enable_seqscan = off");
            T result = update.run();
            settings.execute("SET LOCAL enable_nestloop TO DEFAULT; SET LOCAL enable_seqscan TO DEFAULT");
            return result;
        }
    }

    /** A piece of JDBC work. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    private static final String END = "UPDATE %s t SET status = w.status, started_at = w.started_at, "
            + "completed_at = w.completed_at, run_at = w.run_at, result = w.result, error = w.error, "
            + "retry_count = w.retry_count, progress = w.progress, progress_message = w.progress_message, "
            + "cancel_requested = false, lease_until = NULL FROM unnest(CAST(? AS UUID[]), CAST(? AS BIGINT[]), "
            + "CAST(? AS TEXT[]), CAST(? AS TIMESTAMPTZ[]), CAST(? AS TIMESTAMPTZ[]), CAST(? AS TIMESTAMPTZ[]), "
            + "CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS INTEGER[]), CAST(? AS INTEGER[]), CAST(? AS TEXT[]), "
            + "CAST(? AS BOOLEAN[])) AS w(id, fence, status, started_at, completed_at, run_at, result, error, "
            + "retry_count, progress, progress_message, outcome) WHERE t.id = w.id AND t.id = ANY(CAST(? AS UUID[])) AND "
            + STARTED_BY_ID + " "
            + "AND t.node_id = ? AND t.fence = w.fence AND NOT (t.cancel_requested AND w.outcome) RETURNING t.id";

    private List<Written> writeEndings(Tx tx, List<Ending> items) throws SQLException {
        tx.wrote = true;
        Map<Ending, Written> results = new IdentityHashMap<>();
        for (List<Ending> round : distinct(items, ending -> ending.state().id())) {
            results.putAll(writeEndingRound(tx, round));
        }
        List<UUID> succeeded = new ArrayList<>();
        List<UUID> ended = new ArrayList<>(); // failed or cancelled: their waiting dependants are cancelled
        Instant now = Instant.now();
        for (Ending item : items) {
            TaskInfo state = item.state();
            if (results.get(item) != Written.WRITTEN) {
                continue;
            }
            tx.event(item.event(), state.id());
            switch (state.status()) {
                case SUCCESS -> succeeded.add(state.id());
                case FAILED, CANCELLED -> ended.add(state.id());
                case RETRY -> tx.dueAt(state.runAt(), now);
                default -> {}
            }
        }
        if (!succeeded.isEmpty() && hasWaitingDependants(tx.connection, succeeded)) {
            tx.work = true; // tasks waiting for these may run now, on any instance
        }
        if (!ended.isEmpty()) {
            for (UUID cancelled : cancelDependants(tx.connection, tasks, ended, now)) {
                tx.unowned(TaskEventType.CANCELLED, cancelled);
            }
        }
        List<Written> answers = new ArrayList<>(items.size());
        items.forEach(item -> answers.add(results.get(item)));
        return answers;
    }

    private Map<Ending, Written> writeEndingRound(Tx tx, List<Ending> items) throws SQLException {
        int n = items.size();
        String[] ids = new String[n];
        Long[] fences = new Long[n];
        String[] statuses = new String[n];
        String[] started = new String[n];
        String[] completed = new String[n];
        String[] runAt = new String[n];
        String[] results = new String[n];
        String[] errors = new String[n];
        Integer[] retries = new Integer[n];
        Integer[] progress = new Integer[n];
        String[] messages = new String[n];
        Boolean[] outcomes = new Boolean[n];
        for (int i = 0; i < n; i++) {
            Ending item = items.get(i);
            TaskInfo state = item.state();
            ids[i] = state.id().toString();
            fences[i] = item.fence();
            statuses[i] = state.status().name();
            started[i] = text(state.startedAt());
            completed[i] = text(state.completedAt());
            runAt[i] = text(state.runAt());
            results[i] = state.result();
            errors[i] = state.error();
            retries[i] = state.retryCount();
            progress[i] = state.progress();
            messages[i] = state.progressMessage();
            outcomes[i] = item.outcome();
        }
        Connection connection = tx.connection;
        Set<UUID> written = new HashSet<>();
        try (PreparedStatement update = connection.prepareStatement(END.formatted(tasks))) {
            update.setArray(1, connection.createArrayOf("text", ids));
            update.setArray(2, connection.createArrayOf("int8", fences));
            update.setArray(3, connection.createArrayOf("text", statuses));
            update.setArray(4, connection.createArrayOf("text", started));
            update.setArray(5, connection.createArrayOf("text", completed));
            update.setArray(6, connection.createArrayOf("text", runAt));
            update.setArray(7, connection.createArrayOf("text", results));
            update.setArray(8, connection.createArrayOf("text", errors));
            update.setArray(9, connection.createArrayOf("int4", retries));
            update.setArray(10, connection.createArrayOf("int4", progress));
            update.setArray(11, connection.createArrayOf("text", messages));
            update.setArray(12, connection.createArrayOf("bool", outcomes));
            update.setArray(13, connection.createArrayOf("text", ids));
            update.setString(14, nodeId);
            joinedById(connection, () -> {
                try (ResultSet rs = update.executeQuery()) {
                    while (rs.next()) {
                        written.add(rs.getObject(1, UUID.class));
                    }
                }
                return null;
            });
        }
        Map<Ending, Written> answers = new IdentityHashMap<>();
        List<Ending> refused = new ArrayList<>();
        for (Ending item : items) {
            if (written.contains(item.state().id())) {
                answers.put(item, Written.WRITTEN);
            } else {
                refused.add(item);
            }
        }
        if (!refused.isEmpty()) {
            answers.putAll(whyRefused(connection, refused));
        }
        return answers;
    }

    /** A refused write: still this instance's claim with a cancel requested (for an outcome), or lost. */
    private Map<Ending, Written> whyRefused(Connection connection, List<Ending> refused) throws SQLException {
        Map<UUID, Long> cancelRequested = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT id, fence FROM " + tasks
                + " WHERE id = ANY(CAST(? AS UUID[])) AND status = 'STARTED' AND node_id = ? AND cancel_requested")) {
            query.setString(
                    1,
                    PostgresRows.uuidArray(
                            refused.stream().map(item -> item.state().id()).toList()));
            query.setString(2, nodeId);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    cancelRequested.put(rs.getObject(1, UUID.class), rs.getLong(2));
                }
            }
        }
        Map<Ending, Written> answers = new IdentityHashMap<>();
        for (Ending item : refused) {
            Long fence = cancelRequested.get(item.state().id());
            answers.put(
                    item,
                    item.outcome() && fence != null && fence == item.fence() ? Written.CANCEL_REQUESTED : Written.LOST);
        }
        return answers;
    }

    private List<Boolean> writeProgress(Tx tx, List<Progress> items) throws SQLException {
        tx.wrote = true;
        Map<UUID, Progress> latest = new LinkedHashMap<>();
        items.forEach(item -> latest.put(item.task().id(), item));
        int n = latest.size();
        String[] ids = new String[n];
        Long[] fences = new Long[n];
        Integer[] percents = new Integer[n];
        String[] messages = new String[n];
        int i = 0;
        for (Progress item : latest.values()) {
            TaskInfo state = item.task().snapshot(); // as the task has it now: later progress overtakes earlier
            ids[i] = state.id().toString();
            fences[i] = item.fence();
            percents[i] = state.progress();
            messages[i] = state.progressMessage();
            i++;
        }
        Connection connection = tx.connection;
        Set<UUID> written = new HashSet<>();
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + tasks + " t SET progress = w.progress,"
                + " progress_message = w.message FROM unnest(CAST(? AS UUID[]), CAST(? AS BIGINT[]), CAST(? AS "
                + "INTEGER[]), CAST(? AS TEXT[])) AS w(id, fence, progress, message) WHERE t.id = w.id AND t.id = ANY(CAST(? "
                + "AS UUID[])) AND " + STARTED_BY_ID + " AND t.node_id = ? AND t.fence = w.fence RETURNING t.id")) {
            update.setArray(1, connection.createArrayOf("text", ids));
            update.setArray(2, connection.createArrayOf("int8", fences));
            update.setArray(3, connection.createArrayOf("int4", percents));
            update.setArray(4, connection.createArrayOf("text", messages));
            update.setArray(5, connection.createArrayOf("text", ids));
            update.setString(6, nodeId);
            joinedById(connection, () -> {
                try (ResultSet rs = update.executeQuery()) {
                    while (rs.next()) {
                        UUID id = rs.getObject(1, UUID.class);
                        written.add(id);
                        tx.event(TaskEventType.PROGRESS, id);
                    }
                }
                return null;
            });
        }
        List<Boolean> answers = new ArrayList<>(items.size());
        items.forEach(item -> answers.add(written.contains(item.task().id())));
        return answers;
    }

    /** Whether tasks wait for any of these parents. */
    private boolean hasWaitingDependants(Connection connection, List<UUID> parents) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM " + tasks
                + " WHERE depends_on && CAST(? AS UUID[]) AND depends_on IS NOT NULL AND status IN "
                + "('PENDING', 'RETRY'))")) {
            query.setString(1, PostgresRows.uuidArray(parents));
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /**
     * Cancels the waiting tasks whose parent failed or was cancelled, level by level.
     *
     * @param parents the parents that just ended, or {@code null} to look at every waiting dependant
     * @return the tasks cancelled
     */
    static List<UUID> cancelDependants(Connection connection, String table, List<UUID> parents, Instant now)
            throws SQLException {
        List<UUID> all = new ArrayList<>();
        List<UUID> level = parents;
        for (int depth = 0; depth < 100; depth++) {
            String which = level == null ? "" : " AND t.depends_on && CAST(? AS UUID[])";
            List<UUID> cancelled = new ArrayList<>();
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " t SET status = "
                    + "'CANCELLED', completed_at = CAST(? AS TIMESTAMPTZ), run_at = NULL, error = 'Cancelled: task ' "
                    + "|| p.id || ' (' || p.name || ') that this task depends on ended ' || p.status FROM "
                    + table
                    + " p WHERE t.status IN ('PENDING', 'RETRY') AND t.depends_on IS NOT NULL" + which
                    + " AND p.id = ANY(t.depends_on) AND p.status IN ('FAILED', 'CANCELLED') RETURNING t.id")) {
                update.setString(1, now.toString());
                if (level != null) {
                    update.setString(2, PostgresRows.uuidArray(level));
                }
                try (ResultSet rs = update.executeQuery()) {
                    while (rs.next()) {
                        cancelled.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            if (cancelled.isEmpty()) {
                break;
            }
            all.addAll(cancelled);
            level = cancelled;
        }
        return all;
    }

    /**
     * Splits items so that no id appears twice in one part: one {@code UPDATE ... FROM} changes a row once, with
     * an arbitrary one of its matches.
     */
    private static <T> List<List<T>> distinct(List<T> items, java.util.function.Function<T, UUID> id) {
        List<List<T>> rounds = new ArrayList<>();
        List<Set<UUID>> seen = new ArrayList<>();
        for (T item : items) {
            int round = 0;
            while (round < rounds.size() && seen.get(round).contains(id.apply(item))) {
                round++;
            }
            if (round == rounds.size()) {
                rounds.add(new ArrayList<>());
                seen.add(new HashSet<>());
            }
            rounds.get(round).add(item);
            seen.get(round).add(id.apply(item));
        }
        return rounds;
    }

    /** A time as a parameter of a {@code TIMESTAMPTZ} array: ISO-8601 in UTC. */
    static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
