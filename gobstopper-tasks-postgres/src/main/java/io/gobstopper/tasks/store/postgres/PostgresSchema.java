package io.gobstopper.tasks.store.postgres;

import io.gobstopper.tasks.TaskStoreException;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The PostgreSQL schema of a shared store, as numbered steps applied in order, each once, in the store's own schema
 * (a PostgreSQL namespace). Instances that start together take turns on an advisory lock, so exactly one applies a
 * step. Steps only ever add: nothing that holds data is dropped.
 */
final class PostgresSchema {

    /** The schema names accepted: plain lower-case identifiers, so they never need quoting. */
    static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,39}");

    /**
     * Step n (1-based) upgrades a schema from version n-1 to n; {@code %s} stands for the schema name. Never edit a
     * step once released: add one.
     */
    private static final List<String> STEPS = List.of(
            """
            CREATE TABLE %1$s.tasks (
                id UUID PRIMARY KEY,
                name TEXT NOT NULL,
                category TEXT NOT NULL,
                priority INTEGER NOT NULL,
                max_retries INTEGER NOT NULL,
                args TEXT NOT NULL,
                kwargs TEXT NOT NULL,
                created_at TIMESTAMPTZ NOT NULL,
                status TEXT NOT NULL,
                started_at TIMESTAMPTZ,
                completed_at TIMESTAMPTZ,
                run_at TIMESTAMPTZ,
                result TEXT,
                error TEXT,
                retry_count INTEGER NOT NULL DEFAULT 0,
                progress INTEGER NOT NULL DEFAULT 0,
                progress_message TEXT,
                depends_on UUID[],
                unique_key TEXT,
                timeout_ms BIGINT,
                node_id TEXT,
                fence BIGINT NOT NULL DEFAULT 0,
                lease_until TIMESTAMPTZ,
                cancel_requested BOOLEAN NOT NULL DEFAULT false
            );
            CREATE INDEX tasks_waiting ON %1$s.tasks (category, priority DESC, created_at, id)
                WHERE status IN ('PENDING', 'RETRY');
            CREATE INDEX tasks_leased ON %1$s.tasks (lease_until) WHERE status = 'STARTED';
            CREATE INDEX tasks_newest ON %1$s.tasks (created_at DESC, id DESC);
            CREATE INDEX tasks_ended ON %1$s.tasks (completed_at) WHERE status IN ('SUCCESS', 'FAILED', 'CANCELLED');
            CREATE INDEX tasks_dependants ON %1$s.tasks USING GIN (depends_on)
                WHERE depends_on IS NOT NULL AND status IN ('PENDING', 'RETRY');
            CREATE UNIQUE INDEX tasks_unique_key ON %1$s.tasks (unique_key)
                WHERE unique_key IS NOT NULL AND status IN ('PENDING', 'RETRY', 'STARTED');
            CREATE TABLE %1$s.gobstopper_schedules (
                name TEXT PRIMARY KEY,
                paused BOOLEAN NOT NULL,
                last_fire_at TIMESTAMPTZ
            );
            CREATE TABLE %1$s.gobstopper_nodes (
                node_id TEXT PRIMARY KEY,
                token UUID NOT NULL,
                started_at TIMESTAMPTZ NOT NULL,
                last_seen TIMESTAMPTZ NOT NULL,
                running INTEGER NOT NULL DEFAULT 0
            )
            """,
            // step 2: when the next delayed task is due, found without scanning the table (it was a sequential scan
            // on the claimer's path whenever the next due time was unknown)
            """
            CREATE INDEX tasks_due ON %1$s.tasks (run_at) WHERE status IN ('PENDING', 'RETRY') AND run_at IS NOT NULL
            """);

    static final int CURRENT_VERSION = STEPS.size();

    private PostgresSchema() {}

    /** Creates the schema or brings it up to date; fails on a schema written by a newer version. */
    static void migrate(JdbcTemplate jdbc, TransactionTemplate transactions, String schema, String location) {
        transactions.executeWithoutResult(status -> {
            // one instance at a time; the lock ends with the transaction
            jdbc.queryForObject("SELECT pg_advisory_xact_lock(hashtext(?))", Object.class, "gobstopper:" + schema);
            jdbc.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            jdbc.execute("CREATE TABLE IF NOT EXISTS " + schema + ".gobstopper_schema (version INTEGER PRIMARY KEY, "
                    + "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
            Integer found =
                    jdbc.queryForObject("SELECT max(version) FROM " + schema + ".gobstopper_schema", Integer.class);
            int version = found == null ? 0 : found;
            if (version > CURRENT_VERSION) {
                throw new TaskStoreException(
                        "The task schema " + schema + " in " + location + " has version " + version
                                + ", written by a newer gobstopper-tasks; this version reads up to " + CURRENT_VERSION
                                + ". Upgrade gobstopper-tasks on this instance too.",
                        null);
            }
            for (int step = version + 1; step <= CURRENT_VERSION; step++) {
                jdbc.execute(STEPS.get(step - 1).formatted(schema));
                jdbc.update("INSERT INTO " + schema + ".gobstopper_schema (version) VALUES (?)", step);
            }
        });
    }
}
