package io.gobstopper.tasks.store.duckdb;

import io.gobstopper.tasks.TaskStoreException;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/** The DuckDB schema, as numbered steps applied in order; a file records the steps it has. */
final class DuckDbSchema {

    /**
     * Step n (1-based) upgrades a file from version n-1 to n. Never edit a step once released: add one. The columns
     * a task's life changes follow the fixed ones, in the order of the writer's staging table; columns added later
     * come after them (DuckDbBatchSink appends whole rows by position).
     */
    private static final List<String> STEPS = List.of(
            """
            CREATE TABLE tasks (
                id               UUID PRIMARY KEY,
                name             VARCHAR NOT NULL,
                category         VARCHAR NOT NULL,
                priority         TINYINT NOT NULL,
                max_retries      INTEGER NOT NULL,
                args             VARCHAR NOT NULL,
                kwargs           VARCHAR NOT NULL,
                created_at       TIMESTAMP NOT NULL,
                status           VARCHAR NOT NULL,
                started_at       TIMESTAMP,
                completed_at     TIMESTAMP,
                run_at           TIMESTAMP,
                result           VARCHAR,
                error            VARCHAR,
                retry_count      INTEGER NOT NULL,
                progress         TINYINT NOT NULL,
                progress_message VARCHAR
            )
            """,
            // the highest journal sequence the tasks table holds (see SubmitJournal)
            """
            CREATE TABLE gobstopper_journal (stored_up_to BIGINT NOT NULL);
            INSERT INTO gobstopper_journal VALUES (0);
            """,
            // scheduling: dependencies, unique keys, timeouts; recurring tasks' state. New task columns go after the
            // state columns, in the order DuckDbBatchSink appends them
            """
            ALTER TABLE tasks ADD COLUMN depends_on VARCHAR;
            ALTER TABLE tasks ADD COLUMN unique_key VARCHAR;
            ALTER TABLE tasks ADD COLUMN timeout_ms BIGINT;
            CREATE TABLE gobstopper_schedules (
                name         VARCHAR PRIMARY KEY,
                paused       BOOLEAN NOT NULL,
                last_fire_at TIMESTAMP
            );
            """,
            // the primary key's ART index kept the space of deleted tasks: under a steady load with retention the
            // file grew by about 1.3 MB a minute while the rows it held did not (a soak measured it; without the index
            // the file stayed at 3 MB). Ids are UUIDv7, made by the engine, so they are unique without it, and
            // time-ordered, so zone maps find one without it. The rows are copied, not dropped.
            """
            CREATE TABLE tasks_v4 (
                id               UUID NOT NULL,
                name             VARCHAR NOT NULL,
                category         VARCHAR NOT NULL,
                priority         TINYINT NOT NULL,
                max_retries      INTEGER NOT NULL,
                args             VARCHAR NOT NULL,
                kwargs           VARCHAR NOT NULL,
                created_at       TIMESTAMP NOT NULL,
                status           VARCHAR NOT NULL,
                started_at       TIMESTAMP,
                completed_at     TIMESTAMP,
                run_at           TIMESTAMP,
                result           VARCHAR,
                error            VARCHAR,
                retry_count      INTEGER NOT NULL,
                progress         TINYINT NOT NULL,
                progress_message VARCHAR,
                depends_on       VARCHAR,
                unique_key       VARCHAR,
                timeout_ms       BIGINT
            );
            INSERT INTO tasks_v4 SELECT * FROM tasks ORDER BY id;
            DROP TABLE tasks;
            ALTER TABLE tasks_v4 RENAME TO tasks;
            """,
            // archiving: the tasks of a batch whose Parquet files may be written but whose rows are not yet deleted
            """
            CREATE TABLE gobstopper_archive_batches (
                batch VARCHAR NOT NULL,
                id    UUID NOT NULL
            );
            """);

    static final int CURRENT_VERSION = STEPS.size();

    private DuckDbSchema() {}

    /** Brings the file's schema up to date, in one transaction. */
    static void migrate(JdbcTemplate jdbc, String location) {
        jdbc.execute(
                "CREATE TABLE IF NOT EXISTS gobstopper_schema (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)");
        Integer found = jdbc.queryForObject("SELECT max(version) FROM gobstopper_schema", Integer.class);
        int version = found == null ? 0 : found;
        if (version > CURRENT_VERSION) {
            throw new TaskStoreException(
                    "The task database " + location + " has schema version " + version
                            + ", written by a newer gobstopper-tasks; this version reads up to " + CURRENT_VERSION
                            + ". Upgrade gobstopper-tasks or point it at another file.",
                    null);
        }
        if (version == CURRENT_VERSION) {
            return;
        }
        jdbc.execute("BEGIN TRANSACTION");
        try {
            for (int step = version + 1; step <= CURRENT_VERSION; step++) {
                jdbc.execute(STEPS.get(step - 1));
                jdbc.update(
                        "INSERT INTO gobstopper_schema VALUES (?, make_timestamp(?))",
                        step,
                        System.currentTimeMillis() * 1000);
            }
            jdbc.execute("COMMIT");
        } catch (RuntimeException ex) {
            jdbc.execute("ROLLBACK");
            throw ex;
        }
    }
}
