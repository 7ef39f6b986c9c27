package io.gobstopper.it.postgresonly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskQueue;
import io.gobstopper.tasks.TaskStatus;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * An application whose starter dependency excludes {@code gobstopper-tasks-duckdb} starts on PostgreSQL and runs its
 * tasks there; without {@code store=postgres} it refuses to start, saying which module is missing.
 */
@ExtendWith(OutputCaptureExtension.class)
class PostgresOnlyApplicationTests {

    private static final String URL = System.getenv()
            .getOrDefault("GOBSTOPPER_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private final String schema =
            "gt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    @AfterEach
    void dropSchema() throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private ConfigurableApplicationContext start(String... properties) {
        SpringApplication application = new SpringApplication(PostgresOnlyApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        String[] args = new String[properties.length + 3];
        args[0] = "--gobstopper.tasks.enabled=true";
        args[1] = "--spring.datasource.url=" + URL;
        args[2] = "--gobstopper.tasks.postgres.schema=" + schema;
        System.arraycopy(properties, 0, args, 3, properties.length);
        return application.run(args);
    }

    @Test
    void theApplicationCarriesNoDuckDb() {
        assertThat(ClassUtils.isPresent("io.gobstopper.tasks.store.duckdb.DuckDbTaskStore", null))
                .as("the DuckDB store module")
                .isFalse();
        assertThat(ClassUtils.isPresent("org.duckdb.DuckDBConnection", null))
                .as("DuckDB's driver")
                .isFalse();
    }

    @Test
    void tasksRunOnPostgresql() {
        try (ConfigurableApplicationContext context = start("--gobstopper.tasks.store=postgres")) {
            TaskQueue tasks = context.getBean(TaskQueue.class);
            UUID id = tasks.submit("greet", "Ada");

            TaskInfo done = await().atMost(Duration.ofSeconds(20))
                    .until(() -> tasks.get(id).orElseThrow(), task -> task.status() == TaskStatus.SUCCESS);

            assertThat(done.result()).isEqualTo("\"Hello, Ada\"");
            assertThat(tasks.health().store()).isEqualTo("postgres");
            assertThat(context.getBean(PostgresOnlyApplication.Greetings.class).greeted())
                    .containsExactly("Ada");
        }
    }

    @Test
    void theDefaultStoreIsRefusedNamingTheMissingModuleAndWhatToSet(CapturedOutput output) {
        assertThatThrownBy(() -> start().close())
                .hasStackTraceContaining("needs the module io.gobstopper:gobstopper-tasks-duckdb");
        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("Set gobstopper.tasks.store=postgres to keep the tasks in PostgreSQL");
    }
}
