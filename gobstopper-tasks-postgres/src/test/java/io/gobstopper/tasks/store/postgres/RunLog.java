package io.gobstopper.tasks.store.postgres;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.TaskContext;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The task of the child-JVM cluster tests. Every run of {@code logged} first adds a row to {@code <schema>.runs}
 * (committed at once, on its own connection), naming the task and the instance that runs it, then sleeps for as long
 * as asked. The table has no unique constraint: a task that runs twice leaves two rows, which is what the tests look
 * for.
 */
public final class RunLog {

    public static final String TASK = "logged";

    private final JdbcTemplate jdbc;
    private final String insert;
    private final String node;

    public RunLog(DataSource dataSource, String schema, String node) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.insert = "INSERT INTO " + schema + ".runs (task_id, task_key, node) VALUES (?, ?, ?)";
        this.node = node;
    }

    /** The run log's table; {@code seq} gives the order in which runs began. */
    public static void createTable(DataSource dataSource, String schema) {
        new JdbcTemplate(dataSource)
                .execute("CREATE TABLE " + schema + ".runs (seq BIGSERIAL PRIMARY KEY, "
                        + "task_id UUID NOT NULL, task_key TEXT NOT NULL, node TEXT NOT NULL, "
                        + "at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())");
    }

    @BackgroundTask(name = TASK, maxRetries = 0)
    public void logged(String key, int millis, TaskContext ctx) throws InterruptedException {
        jdbc.update(insert, ctx.taskId(), key, node);
        if (millis > 0) {
            TimeUnit.MILLISECONDS.sleep(millis);
        }
    }
}
