package io.gobstopper.tasks.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The claim is prepared once and run with PostgreSQL's generic plan, which does not know how many tasks a claim asks
 * for (it takes a tenth of the table): with a backlog, that plan must still reach the tasks through indexes only. A
 * join of the claimed ids with the table became a hash join over a sequential scan of the whole table, and the
 * throughput fell from about 10,000 to 341 tasks/s.
 */
class ClaimPlanTests {

    private final PostgresDatabase database = PostgresDatabase.create(3);

    @BeforeEach
    void backlog() throws Exception {
        PostgresTaskStore store = new PostgresTaskStore(
                database.dataSource(), database.schema(), "plan", Duration.ofSeconds(10), Duration.ofSeconds(1));
        store.open(Instant.now(), tasks -> {});
        store.close();
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO " + database.schema() + ".tasks (" + PostgresWrites.INSERTED_COLUMNS
                    + ") SELECT gen_random_uuid(), 'noop', CASE WHEN i % 2 = 0 THEN 'default' ELSE 'mail' END, 0, 0, "
                    + "'[]', '{}', now(), 'PENDING', NULL, NULL, NULL, NULL FROM generate_series(1, 20000) i");
            statement.execute("ANALYZE " + database.schema() + ".tasks");
        }
    }

    @AfterEach
    void drop() {
        database.drop();
    }

    @ParameterizedTest
    @CsvSource({"1, false", "2, false", "1, true", "2, true"})
    void theGenericPlanReachesTasksThroughIndexesOnly(int categories, boolean named) throws Exception {
        PostgresClaims claims =
                new PostgresClaims(new JdbcTemplate(database.dataSource()), database.schema(), "chan", "plan", 10);
        Map<String, Integer> wanted = new LinkedHashMap<>();
        wanted.put("default", 256);
        if (categories > 1) {
            wanted.put("mail", 4);
        }
        StringBuilder plan = new StringBuilder();
        try (Connection connection = database.dataSource().getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET plan_cache_mode = force_generic_plan");
            }
            try (PreparedStatement explain =
                    connection.prepareStatement("EXPLAIN " + claims.statement(categories, named))) {
                claims.bind(
                        explain,
                        wanted,
                        named ? connection.createArrayOf("text", new String[] {"noop", "other"}) : null,
                        Instant.now());
                try (ResultSet rs = explain.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("RESET plan_cache_mode");
            }
        }

        assertThat(plan.toString())
                .as("the generic plan of the claim")
                .contains("tasks_waiting")
                .contains("tasks_pkey")
                .doesNotContain("Seq Scan");
    }
}
