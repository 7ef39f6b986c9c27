package io.gobstopper.tasks.boot.testapp;

import io.gobstopper.tasks.TaskQueue;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;

/**
 * An application for the tests of the shared PostgreSQL store: the test tasks, and a service that records an order in
 * the application's database and submits a task for it in one transaction.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableTransactionManagement
@Import({TestTasks.class, SharedStoreTestApplication.Orders.class})
public class SharedStoreTestApplication {

    /** Records orders in the table {@code <schema>.orders} of the application's database. */
    public static class Orders {

        private final JdbcTemplate jdbc;
        private final TaskQueue tasks;
        private final String table;

        public Orders(
                JdbcTemplate jdbc,
                TaskQueue tasks,
                @org.springframework.beans.factory.annotation.Value("${gobstopper.tasks.postgres.schema}")
                        String schema) {
            this.jdbc = jdbc;
            this.tasks = tasks;
            this.table = schema + ".orders";
        }

        /**
         * Records an order and submits its confirmation task in one transaction.
         *
         * @param beforeCommit called with the task's id after the submit, while the transaction is still open; it
         *     may throw to roll everything back
         */
        @Transactional
        public UUID place(String order, Consumer<UUID> beforeCommit) {
            jdbc.update("INSERT INTO " + table + " (id) VALUES (?)", order);
            UUID id = tasks.submit("echo", "order " + order);
            beforeCommit.accept(id);
            return id;
        }

        public long count(String order) {
            Long count = jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE id = ?", Long.class, order);
            return count == null ? 0 : count;
        }
    }
}
