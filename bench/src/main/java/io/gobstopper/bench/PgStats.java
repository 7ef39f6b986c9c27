package io.gobstopper.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The database work of a measured window on PostgreSQL, from the server's own counters, reported per task:
 * {@code commits_per_task} is the delta of {@code xact_commit + xact_rollback} in {@code pg_stat_database} for the
 * current database, {@code statements_per_task} the delta of {@code sum(calls)} in {@code pg_stat_statements} for the
 * current database ({@code dbid}; top-level statements, with its default {@code track_utility} also {@code BEGIN} and
 * {@code COMMIT}), or the note "n/a" when that extension is not installed or its view cannot be read.
 *
 * <p>The harness's own queries in the window — the snapshots, and the wait loop's polls, which go through
 * {@link #longs} — run on this class's one connection in auto-commit, each one statement and one transaction; they are
 * counted here and subtracted (the statements exactly; the transactions to within one or two, as a backend publishes
 * its counts a little after its own queries end). All the benchmark's connections carry the application name
 * {@value #APPLICATION}; any other client session on the database that is busy at a snapshot or has changed state
 * since the one before (so was at work in the idle sample or the window) is reported as {@code other_sessions}, since
 * its work is in the counts too. (A session that came and went between snapshots is not seen.)
 *
 * <p>Why a window takes longer than its clock: a PostgreSQL 15 backend publishes its transaction counts at most once a
 * second while it works, and one that falls idle with counts pending publishes them only after 10 s. So {@link #open}
 * first waits {@value #SETTLE_S} s on the idle system (the warm-up's counts are then in), samples the idle system's own
 * transactions (polls, leases, heartbeats) for {@value #IDLE_S} s, and takes the opening snapshot; {@link #close} reads
 * the statements at once (pg_stat_statements counts each statement as it ends) and the transactions {@value #SETTLE_S}
 * s later, subtracting the idle rate times that wait. None of this is inside the throughput clock.
 */
public final class PgStats implements AutoCloseable {

    /** The {@code application_name} of every connection the benchmark opens. */
    public static final String APPLICATION = "gobstopper-bench";

    static final int SETTLE_S = 11;
    static final int IDLE_S = 5;

    private final Connection connection;
    private final String snapshotSql;
    private final boolean statements;
    private long own; // statements (and so transactions) this connection has run

    /** The counters at one moment; {@code statements} and {@code dealloc} are -1 without pg_stat_statements. */
    record Snapshot(
            long nanos,
            OffsetDateTime at,
            long transactions,
            long statements,
            long dealloc,
            long own,
            Set<Integer> others) {}

    /** An open window: the opening snapshot, and the idle system's transactions per nanosecond just before it. */
    public record Window(Snapshot opened, double idleTransactionsPerNano) {}

    private PgStats(Connection connection, String statementsView) {
        this.connection = connection;
        this.statements = statementsView != null;
        this.snapshotSql = "SELECT (SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = "
                + "current_database()), "
                + (statements
                        ? "(SELECT coalesce(sum(calls), 0) FROM " + statementsView + " WHERE dbid = (SELECT oid FROM "
                                + "pg_database WHERE datname = current_database())), (SELECT dealloc FROM "
                                + statementsView + "_info), "
                        : "-1, -1, ")
                + "(SELECT string_agg(pid::text, ',') FROM pg_stat_activity WHERE datname = current_database() AND "
                + "backend_type = 'client backend' AND pid <> pg_backend_pid() AND "
                + "coalesce(application_name, '') <> '" + APPLICATION
                + "' AND (state = 'active' OR state_change >= ?)), "
                + "now()";
    }

    /** Connects to {@code url} and finds out whether pg_stat_statements can be read there. */
    public static PgStats connect(String url) throws SQLException {
        Connection connection = DriverManager.getConnection(url, applicationName());
        connection.setAutoCommit(true);
        String view = statementsView(connection);
        if (view == null) {
            Report.note("statements_per_task", "n/a");
        }
        return new PgStats(connection, view);
    }

    /** Driver properties that name the benchmark's connections (pgJDBC's {@code ApplicationName}). */
    public static Properties applicationName() {
        Properties properties = new Properties();
        properties.setProperty("ApplicationName", APPLICATION);
        return properties;
    }

    /** The schema-qualified view, or null if the extension is missing or the view cannot be queried. */
    private static String statementsView(Connection connection) {
        try (Statement statement = connection.createStatement();
                ResultSet schema = statement.executeQuery("SELECT extnamespace::regnamespace::text FROM pg_extension "
                        + "WHERE extname = 'pg_stat_statements'")) {
            if (!schema.next()) {
                System.out.println("pg_stat_statements is not installed in this database: statements per task n/a");
                return null;
            }
            String view = schema.getString(1) + ".pg_stat_statements";
            try (Statement probe = connection.createStatement();
                    ResultSet rows = probe.executeQuery(
                            "SELECT sum(calls), (SELECT dealloc FROM " + view + "_info) FROM " + view)) {
                rows.next();
            }
            return view;
        } catch (SQLException ex) {
            System.out.println("pg_stat_statements cannot be read (" + ex.getMessage() + "): statements per task n/a");
            return null;
        }
    }

    /** The first row of a query of numbers, run (and counted) as the harness's own statement. */
    public long[] longs(String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                long[] values = new long[rows.getMetaData().getColumnCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = rows.getLong(i + 1);
                }
                return values;
            } finally {
                own++;
            }
        }
    }

    /** The counters now, and the other sessions at work now or since {@code since} (if not null). */
    private Snapshot snapshot(OffsetDateTime since) throws SQLException {
        long before = own; // this snapshot's own statement is counted in the next delta, not in this one
        try (PreparedStatement statement = connection.prepareStatement(snapshotSql)) {
            statement.setObject(1, since, Types.TIMESTAMP_WITH_TIMEZONE);
            ResultSet rows = statement.executeQuery();
            rows.next();
            Set<Integer> others = new HashSet<>();
            String pids = rows.getString(4);
            if (pids != null) {
                for (String pid : pids.split(",")) {
                    others.add(Integer.parseInt(pid));
                }
            }
            return new Snapshot(
                    System.nanoTime(),
                    rows.getObject(5, OffsetDateTime.class),
                    rows.getLong(1),
                    rows.getLong(2),
                    rows.getLong(3),
                    before,
                    others);
        } finally {
            own++;
        }
    }

    /** Waits for the idle system's counts to settle, samples its idle rate, and opens the window. */
    public Window open() throws SQLException, InterruptedException {
        TimeUnit.SECONDS.sleep(SETTLE_S);
        Snapshot idle = snapshot(null);
        TimeUnit.SECONDS.sleep(IDLE_S);
        Snapshot opened = snapshot(idle.at());
        double idleTransactions = opened.transactions() - idle.transactions() - (opened.own() - idle.own());
        return new Window(opened, Math.max(0, idleTransactions) / (opened.nanos() - idle.nanos()));
    }

    /** Closes the window right after its last task was seen done, and reports the work per task. */
    public void close(Window window, long tasks) throws SQLException, InterruptedException {
        Snapshot opened = window.opened();
        Snapshot ended = snapshot(opened.at()); // statements are counted as they end: read now
        TimeUnit.SECONDS.sleep(SETTLE_S);
        Snapshot settled = snapshot(opened.at()); // transactions are published late: read once every backend has
        double idle = window.idleTransactionsPerNano() * (settled.nanos() - ended.nanos());
        double transactions = settled.transactions() - opened.transactions() - (settled.own() - opened.own()) - idle;
        Report.metric("window_transactions", transactions);
        Report.metric("idle_transactions_subtracted", idle);
        Report.metric("harness_statements", ended.own() - opened.own());
        Report.metric("commits_per_task", transactions / tasks);
        if (statements) {
            double executed = ended.statements() - opened.statements() - (ended.own() - opened.own());
            Report.metric("window_statements", executed);
            Report.metric("statements_per_task", executed / tasks);
            if (ended.dealloc() != opened.dealloc()) {
                Report.note("statements_warning", "pg_stat_statements evicted entries in the window: too few counted");
            }
        }
        Set<Integer> others = new HashSet<>(opened.others());
        others.addAll(ended.others());
        others.addAll(settled.others());
        Report.metric("other_sessions", others.size());
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
