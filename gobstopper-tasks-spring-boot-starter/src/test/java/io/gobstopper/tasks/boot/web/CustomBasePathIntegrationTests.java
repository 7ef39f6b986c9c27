package io.gobstopper.tasks.boot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gobstopper.tasks.boot.support.Http;
import io.gobstopper.tasks.boot.testapp.TasksTestApplication;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code gobstopper.tasks.web.base-path} moves the whole API, its Location headers and its problem answers; the
 * servlet context path ({@code /svc} here) comes in front of it.
 */
@SpringBootTest(
        classes = TasksTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "gobstopper.tasks.enabled=true",
            "gobstopper.tasks.web.base-path=/jobs",
            "server.servlet.context-path=/svc",
            "gobstopper.tasks.shutdown-timeout=5s"
        })
@DirtiesContext
class CustomBasePathIntegrationTests {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add(
                "gobstopper.tasks.duckdb.path",
                () -> dir.resolve("tasks.duckdb").toString());
    }

    @LocalServerPort
    int port;

    @Test
    void theApiIsServedUnderTheConfiguredBasePathOnly() {
        Http http = new Http(port);

        Http.Response submitted = http.post("/svc/jobs", "{\"name\": \"echo\", \"args\": [\"moved\"]}");

        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
        String id = submitted.json().path("id").asString();
        assertThat(submitted.location()).isEqualTo("/svc/jobs/" + id);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> http.get("/svc/jobs/" + id)
                        .json()
                        .path("status")
                        .asString()
                        .equals("SUCCESS"));
        JsonNode page = http.get("/svc/jobs?name=echo").json();
        assertThat(page.path("tasks").get(0).path("id").asString()).isEqualTo(id);
        assertThat(http.get("/svc/jobs/stats").status()).isEqualTo(200);

        assertThat(http.get("/svc/api/tasks").status()).isEqualTo(404);
        assertThat(http.post("/svc/api/tasks", "{\"name\": \"echo\", \"args\": [\"x\"]}")
                        .status())
                .isIn(404, 405);
        assertThat(http.get("/svc/api/tasks/" + id).status()).isEqualTo(404);
    }

    @Test
    void errorsUnderTheConfiguredBasePathAreProblems() {
        Http http = new Http(port);

        Http.Response unknown = http.get("/svc/jobs/not-a-task");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith(Http.PROBLEM_JSON);
        assertThat(unknown.detail()).contains("not-a-task");

        Http.Response bad = http.post("/svc/jobs", "{\"name\": \"echo\", \"args\": \"x\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith(Http.PROBLEM_JSON);
        assertThat(bad.json().path("instance").asString()).isEqualTo("/svc/jobs");
        assertThat(bad.detail()).contains("'args'");
    }
}
