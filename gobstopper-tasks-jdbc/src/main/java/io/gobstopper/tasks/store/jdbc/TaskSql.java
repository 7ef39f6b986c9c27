package io.gobstopper.tasks.store.jdbc;

/** Pieces of SQL that the SQL stores word alike: the status sets and the reset of a task that runs again. */
public final class TaskSql {

    /** The statuses of tasks that have ended. */
    public static final String ENDED = "('SUCCESS', 'FAILED', 'CANCELLED')";

    /** The statuses of tasks that wait to run. */
    public static final String WAITING = "('PENDING', 'RETRY')";

    /** The statuses of unfinished tasks, which a unique key binds. */
    public static final String UNFINISHED = "('PENDING', 'RETRY', 'STARTED')";

    /** The assignments that put an ended task back to PENDING, as a retry by hand does. */
    public static final String RESET_FOR_RETRY = "status = 'PENDING', started_at = NULL, completed_at = NULL, "
            + "run_at = NULL, result = NULL, error = NULL, retry_count = 0, progress = 0, progress_message = NULL";

    /** Newest first, the order of every listing. */
    public static final String NEWEST_FIRST = " ORDER BY created_at DESC, id DESC";

    private TaskSql() {}
}
