package io.gobstopper.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gobstopper.tasks.TaskQueue;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * The sample with its profile {@code postgres} (application-postgres.properties) against a real PostgreSQL
 * ({@code GOBSTOPPER_TEST_POSTGRES_URL}, or the local test server), in a schema of its own that is dropped afterwards.
 * Fails, never skips, when the database cannot be reached.
 */
@SuppressWarnings("unchecked")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("postgres")
@DirtiesContext
class SamplePostgresProfileIntegrationTests {

    private static final String URL = System.getenv()
            .getOrDefault("GOBSTOPPER_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private static final String SCHEMA =
            "gt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {};

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        try (Connection connection = DriverManager.getConnection(URL)) {
            connection.isValid(5);
        } catch (SQLException ex) {
            throw new IllegalStateException(
                    "PostgreSQL is not reachable at " + URL + " (" + ex.getMessage() + "); "
                            + "start it or point GOBSTOPPER_TEST_POSTGRES_URL at one",
                    ex);
        }
        registry.add("spring.datasource.url", () -> URL);
        registry.add("gobstopper.tasks.postgres.schema", () -> SCHEMA);
        registry.add("gobstopper.tasks.postgres.node-id", () -> "sample-test");
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    private RestClient http() {
        return RestClient.builder()
                .baseUrl("http://localhost:" + port)
                .defaultHeaders(headers -> headers.setBasicAuth("admin", "admin"))
                .build();
    }

    @Test
    void theProfileStoresTasksInPostgresOnTheApplicationsDataSource() throws SQLException {
        assertThat(context.getBean(TaskQueue.class).health().store()).isEqualTo("postgres");
        try (Connection connection = context.getBean(DataSource.class).getConnection()) {
            assertThat(connection.getMetaData().getURL()).startsWith("jdbc:postgresql:");
        }

        Map<String, Object> submitted = http().post()
                .uri("/api/tasks")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("name", "send_email", "args", List.of("ada@example.com", "Welcome!")))
                .retrieve()
                .body(JSON);
        Object id = submitted.get("id");

        await().atMost(Duration.ofSeconds(20))
                .until(() -> "SUCCESS"
                        .equals(http().get()
                                .uri("/api/tasks/{id}", id)
                                .retrieve()
                                .body(JSON)
                                .get("status")));
        assertThat(http().get().uri("/api/tasks/{id}", id).retrieve().body(JSON))
                .containsEntry("nodeId", "sample-test");
        List<Map<String, Object>> nodes =
                http().get().uri("/api/tasks/nodes").retrieve().body(new ParameterizedTypeReference<>() {});
        assertThat(nodes).extracting(node -> node.get("nodeId")).containsExactly("sample-test");
        Map<String, Object> health =
                http().get().uri("/actuator/health").retrieve().body(JSON);
        Map<String, Object> tasks = (Map<String, Object>) ((Map<String, Object>) health.get("components")).get("tasks");
        assertThat((Map<String, Object>) tasks.get("details")).containsEntry("nodeId", "sample-test");
    }
}
