package io.gobstopper.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * The secured sample: anonymous callers are turned away, a viewer reads but may not act on tasks, and the admin
 * (who has the role gobstopper.tasks.web.write-role names) may.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleSecurityIntegrationTests {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add(
                "gobstopper.tasks.duckdb.path",
                () -> dir.resolve("sample.duckdb").toString());
    }

    @LocalServerPort
    int port;

    /** Answers every status instead of throwing on errors. */
    private ResponseEntity<String> call(HttpMethod method, String path, String user, String body) {
        RestClient.RequestBodySpec request =
                RestClient.create("http://localhost:" + port).method(method).uri(path);
        if (user != null) {
            request.headers(headers -> headers.setBasicAuth(user, user));
        }
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        return request.retrieve().onStatus(status -> true, (req, res) -> {}).toEntity(String.class);
    }

    /** A task that waits a minute before it runs, so it can still be cancelled. */
    private String laterTask() {
        ResponseEntity<Map> submitted = RestClient.create("http://localhost:" + port)
                .post()
                .uri("/api/tasks")
                .headers(headers -> headers.setBasicAuth("admin", "admin"))
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("name", "send_email", "args", List.of("ada@example.com", "Later"), "delay", "PT60S"))
                .retrieve()
                .toEntity(Map.class);
        assertThat(submitted.getStatusCode().value()).isEqualTo(202);
        return (String) submitted.getBody().get("id");
    }

    @Test
    void anAnonymousCallerCanNeitherActNorRead() {
        String id = laterTask();
        assertThat(call(HttpMethod.POST, "/api/tasks/" + id + "/cancel", null, null)
                        .getStatusCode()
                        .value())
                .isIn(401, 403);
        assertThat(call(HttpMethod.GET, "/api/tasks/" + id, null, null)
                        .getStatusCode()
                        .value())
                .isEqualTo(401);
        assertThat(call(HttpMethod.POST, "/api/tasks", null, "{\"name\": \"send_email\", \"args\": [\"a@b.c\", \"x\"]}")
                        .getStatusCode()
                        .value())
                .as("an anonymous submit")
                .isIn(401, 403);
        assertThat(call(HttpMethod.GET, "/api/tasks/" + id, "admin", null).getBody())
                .as("the refused cancel changed " + "nothing")
                .contains("\"status\":\"PENDING\"");
        ResponseEntity<String> health = call(HttpMethod.GET, "/actuator/health", null, null);
        assertThat(health.getStatusCode().value()).isEqualTo(200);
        assertThat(health.getBody())
                .as("the health details, to an anonymous caller")
                .doesNotContain("details");
        assertThat(call(HttpMethod.GET, "/actuator/health", "viewer", null).getBody())
                .as("the health details, to a signed-in user")
                .contains("\"details\"", "\"store\":\"duckdb\"");
    }

    @Test
    void aViewerReadsButMayNotActOnTasks() {
        String id = laterTask();

        assertThat(call(HttpMethod.GET, "/api/tasks/" + id, "viewer", null)
                        .getStatusCode()
                        .value())
                .isEqualTo(200);
        assertThat(call(HttpMethod.GET, "/api/tasks/stats", "viewer", null)
                        .getStatusCode()
                        .value())
                .isEqualTo(200);
        for (ResponseEntity<String> refused : List.of(
                call(HttpMethod.POST, "/api/tasks/" + id + "/cancel", "viewer", null),
                call(HttpMethod.DELETE, "/api/tasks/" + id, "viewer", null),
                call(HttpMethod.POST, "/api/tasks/bulk-retry", "viewer", "{}"),
                call(HttpMethod.PUT, "/api/tasks/categories/reports/workers", "viewer", "{\"workers\": 2}"),
                call(
                        HttpMethod.POST,
                        "/api/tasks",
                        "viewer",
                        "{\"name\": \"send_email\", \"args\": [\"a@b.c\", \"x\"]}"))) {
            assertThat(refused.getStatusCode().value()).as(refused.toString()).isEqualTo(403);
            assertThat(refused.getHeaders().getContentType().toString()).startsWith("application/problem+json");
            assertThat(refused.getBody())
                    .contains("viewer")
                    .contains("TASKS_ADMIN")
                    .contains("gobstopper.tasks.web.write-role");
        }
        assertThat(call(HttpMethod.GET, "/api/tasks/" + id, "viewer", null).getBody())
                .contains("\"PENDING\"");
    }

    @Test
    void theAdminMayActOnTasks() {
        String id = laterTask();

        ResponseEntity<String> cancelled = call(HttpMethod.POST, "/api/tasks/" + id + "/cancel", "admin", null);

        assertThat(cancelled.getStatusCode().value()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.getBody()).contains("\"CANCELLED\"");
        assertThat(call(HttpMethod.DELETE, "/api/tasks/" + id, "admin", null)
                        .getStatusCode()
                        .value())
                .isEqualTo(204);
    }
}
