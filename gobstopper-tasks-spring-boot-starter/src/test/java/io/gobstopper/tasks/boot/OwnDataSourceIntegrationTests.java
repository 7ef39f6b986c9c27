package io.gobstopper.tasks.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskQueue;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.engine.TaskEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * An application with its own H2 database keeps it: the starter adds no DataSource, the application's
 * JdbcTemplate and transactions work on H2, and tasks are stored in DuckDB.
 */
@SpringBootTest(
        classes = OwnDataSourceIntegrationTests.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            "gobstopper.tasks.enabled=true",
            "gobstopper.tasks.shutdown-timeout=5s",
            "spring.datasource.url=jdbc:h2:mem:app-own-datasource;DB_CLOSE_DELAY=-1"
        })
@DirtiesContext
class OwnDataSourceIntegrationTests {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add(
                "gobstopper.tasks.duckdb.path",
                () -> dir.resolve("tasks.duckdb").toString());
    }

    @Autowired
    ApplicationContext context;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TaskQueue queue;

    @BeforeEach
    void table() {
        jdbc.execute("CREATE TABLE IF NOT EXISTS orders (id VARCHAR(64) PRIMARY KEY, note VARCHAR(200))");
    }

    private TaskInfo awaitEnd(UUID id) {
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        queue.get(id).map(task -> task.status().isCompleted()).orElse(false));
        return queue.get(id).orElseThrow();
    }

    @Test
    void theApplicationsH2DataSourceIsTheOnlyDataSource() throws Exception {
        assertThat(context.getBeansOfType(DataSource.class)).hasSize(1).containsValue(dataSource);
        assertThat(dataSource).isInstanceOf(com.zaxxer.hikari.HikariDataSource.class);
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("H2");
            assertThat(connection.getMetaData().getURL()).contains("app-own-datasource");
        }
        assertThat(jdbc.getDataSource()).isSameAs(dataSource);
    }

    @Test
    void theApplicationsJdbcTemplateWritesAndReadsH2() {
        jdbc.update("INSERT INTO orders (id, note) VALUES (?, ?)", "direct", "written by the application");

        assertThat(jdbc.queryForObject("SELECT note FROM orders WHERE id = ?", String.class, "direct"))
                .isEqualTo("written by the application");
        assertThat(jdbc.queryForObject("SELECT H2VERSION()", String.class)).isNotBlank();
    }

    @Test
    void tasksAreStoredInDuckDbNotInTheApplicationsDatabase() {
        TaskEngine engine = context.getBean(TaskEngine.class);
        assertThat(engine.store().kind()).isEqualTo("duckdb");
        assertThat(Path.of(engine.store().location()))
                .isEqualTo(dir.resolve("tasks.duckdb").toAbsolutePath().normalize());
        assertThat(Files.exists(dir.resolve("tasks.duckdb"))).isTrue();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) = 'tasks'",
                        Integer.class))
                .as("no task table in H2")
                .isZero();
    }

    @Test
    void aTransactionalTaskWritesToTheApplicationsDatabase() {
        String key = UUID.randomUUID().toString();

        TaskInfo done = awaitEnd(queue.submit("recordOrder", key, "from a task"));

        assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(done.result()).as("the task ran inside a transaction").isEqualTo("true");
        assertThat(jdbc.queryForObject("SELECT note FROM orders WHERE id = ?", String.class, key))
                .isEqualTo("from a task");
        assertThat(queue.get(done.id())).isPresent();
    }

    @Test
    void aFailingTransactionalTaskRollsBackItsWrite() {
        String key = UUID.randomUUID().toString();

        TaskInfo failed = awaitEnd(queue.submit("recordOrderThenFail", key));

        assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.error()).contains("refused after writing");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM orders WHERE id = ?", Integer.class, key))
                .isZero();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        OrderTasks orderTasks(JdbcTemplate jdbc) {
            return new OrderTasks(jdbc);
        }
    }

    public static class OrderTasks {

        private final JdbcTemplate jdbc;

        public OrderTasks(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Transactional
        @BackgroundTask
        public boolean recordOrder(String id, String note) {
            jdbc.update("INSERT INTO orders (id, note) VALUES (?, ?)", id, note);
            return TransactionSynchronizationManager.isActualTransactionActive();
        }

        @Transactional
        @BackgroundTask
        public void recordOrderThenFail(String id) {
            jdbc.update("INSERT INTO orders (id, note) VALUES (?, ?)", id, "must not stay");
            throw new IllegalStateException("order " + id + " refused after writing");
        }
    }
}
