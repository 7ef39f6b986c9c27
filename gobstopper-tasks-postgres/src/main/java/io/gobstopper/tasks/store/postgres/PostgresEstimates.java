package io.gobstopper.tasks.store.postgres;

import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keeps PostgreSQL's idea of how many rows the tasks table holds close to the truth when a backlog arrives.
 *
 * <p>PostgreSQL plans with the rows per page of the table's last VACUUM or ANALYZE, times its pages now. When a VACUUM
 * finds the table empty (every task ended and deleted) but cannot truncate it (truncating needs a lock that a polling
 * instance seldom leaves it), the table holds "0 rows on many pages", and until autovacuum analyzes it again (a minute
 * or more later) every plan believes it holds one row: the joins by id of a claim and of a batch of outcomes then walk
 * the whole table and compare every row with every id of the batch. Measured on the shared-store benchmark: those
 * statements took up to 365 ms instead of 1-4, and throughput halved in the runs that met this state.
 *
 * <p>So when the sweep counts many more waiting tasks than the planner believes the table holds, the store analyzes the
 * table, at most once per {@link #INTERVAL}. An ANALYZE reads a sample of at most 30,000 rows and blocks no reads or
 * writes. Without the right to analyze (the table belongs to another role) it says so once and leaves it to autovacuum.
 */
final class PostgresEstimates {

    private static final Logger log = LoggerFactory.getLogger(PostgresTaskStore.class);

    /** Fewer waiting tasks than this are not worth a look: any plan is fast for them. */
    static final long MIN_WAITING = 1_000;

    /** The least time between two analyzes by one instance. */
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private static final String ANALYZED = "SELECT c.reltuples FROM pg_class c WHERE c.oid = CAST(? AS regclass)";

    private final JdbcTemplate jdbc;
    private final String tasks;
    private volatile Instant next = Instant.MIN;
    private volatile boolean allowed = true;

    PostgresEstimates(JdbcTemplate jdbc, String tasks) {
        this.jdbc = jdbc;
        this.tasks = tasks;
    }

    /**
     * Analyzes the tasks table if the planner believes it holds fewer than half of the {@code waiting} tasks just
     * counted; returns whether it did.
     */
    boolean check(long waiting, Instant now) {
        if (waiting < MIN_WAITING || !allowed || now.isBefore(next)) {
            return false;
        }
        Double analyzed = jdbc.queryForObject(ANALYZED, Double.class, tasks); // -1: never
        if (analyzed == null || analyzed * 2 >= waiting) {
            return false;
        }
        next = now.plus(INTERVAL);
        try {
            jdbc.execute("ANALYZE " + tasks);
            log.debug("Analyzed {}: {} tasks waiting, {} rows when last analyzed", tasks, waiting, analyzed);
            return true;
        } catch (DataAccessException ex) {
            allowed = false;
            log.warn(
                    "Cannot analyze {} ({}): with a backlog its plans stay slow until autovacuum analyzes the table;"
                            + " let the store's database user own the table to avoid this",
                    tasks,
                    ex.getMostSpecificCause().getMessage());
            return false;
        }
    }
}
