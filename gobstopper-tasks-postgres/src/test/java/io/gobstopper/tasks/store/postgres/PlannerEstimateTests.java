package io.gobstopper.tasks.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A backlog that arrives after the table was emptied and vacuumed gets a planner that knows about it: the sweep's count
 * of waiting tasks analyzes the table when PostgreSQL's last count of its rows is far below it.
 */
class PlannerEstimateTests {

    private final PostgresTestStorage storage = new PostgresTestStorage();
    private final PostgresTaskStore store = (PostgresTaskStore) storage.create();
    private final JdbcTemplate jdbc = new JdbcTemplate(storage.database().dataSource());
    private final String tasks = storage.database().schema() + ".tasks";

    @AfterEach
    void close() {
        store.close();
        storage.close();
    }

    @Test
    void aBacklogAfterAnEmptiedTableIsAnalyzedAtTheNextCount() {
        store.open(Instant.now());
        insertWaiting(500, "SUCCESS");
        jdbc.update("DELETE FROM " + tasks);
        jdbc.execute("VACUUM (ANALYZE, TRUNCATE false) " + tasks); // what autovacuum leaves when it cannot truncate
        assertThat(analyzedRows()).isZero();

        insertWaiting(2_000, "PENDING");
        assertThat(store.waiting(Instant.now()).get("default").count()).isEqualTo(2_000);

        assertThat(analyzedRows()).isEqualTo(2_000);
    }

    @Test
    void aSmallBacklogIsLeftToAutovacuum() {
        store.open(Instant.now());
        jdbc.execute("ANALYZE " + tasks);
        insertWaiting(PostgresEstimates.MIN_WAITING - 1, "PENDING");

        store.waiting(Instant.now());

        assertThat(analyzedRows()).isZero();
    }

    private void insertWaiting(long count, String status) {
        jdbc.update(
                "INSERT INTO " + tasks + " (id, name, category, priority, max_retries, args, kwargs, created_at, "
                        + "status) SELECT gen_random_uuid(), 'noop', 'default', 2, 3, '[]', '{}', now(), ? FROM "
                        + "generate_series(1, ?)",
                status,
                count);
    }

    private double analyzedRows() {
        Double rows = jdbc.queryForObject(
                "SELECT reltuples FROM pg_class WHERE oid = CAST(? AS regclass)", Double.class, tasks);
        return rows == null ? -1 : rows;
    }
}
