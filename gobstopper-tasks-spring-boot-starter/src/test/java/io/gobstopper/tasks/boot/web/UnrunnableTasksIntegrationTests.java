package io.gobstopper.tasks.boot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gobstopper.tasks.boot.support.EarlierVersion;
import io.gobstopper.tasks.boot.support.Http;
import io.gobstopper.tasks.boot.testapp.TasksTestApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Stored tasks whose name the application no longer registers, over real HTTP: the application starts on a DuckDB file
 * that an earlier version of it (with other tasks) left tasks in; they are listed as unrunnable in the stats, at
 * {@code /actuator/tasks} and in the health details, and the REST API fails or deletes them by name.
 */
@SpringBootTest(
        classes = TasksTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "gobstopper.tasks.enabled=true",
            "management.endpoint.health.show-details=always",
            "management.endpoints.web.exposure.include=health,tasks"
        })
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UnrunnableTasksIntegrationTests {

    private static final String API = "/api/tasks";
    private static final String REASON = "no task named 'legacy_report' is registered in this application";

    @TempDir
    static Path dir;

    private static final List<Http.Response> ANSWERS = new CopyOnWriteArrayList<>();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        EarlierVersion.useIn(registry, () -> dir);
    }

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @AfterEach
    void keepAnswers() {
        ANSWERS.addAll(http.responses());
    }

    @AfterAll
    static void noAnswerWasAServerError() {
        assertThat(ANSWERS).filteredOn(answer -> answer.status() >= 500).isEmpty();
    }

    private JsonNode ok(Http.Response answer) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    private String status(UUID id) {
        return ok(http.get(API + "/" + id)).path("status").asString();
    }

    @Test
    @Order(1)
    void theStatsTheActuatorEndpointAndTheHealthDetailsListTheUnrunnableTasksWithTheReason() {
        JsonNode stats = ok(http.get(API + "/stats"));
        assertThat(stats.path("unrunnable")).hasSize(2);
        assertThat(stats.path("unrunnable").get(0).path("name").asString()).isEqualTo("legacy_report");
        assertThat(stats.path("unrunnable").get(0).path("count").asLong()).isEqualTo(2);
        assertThat(stats.path("unrunnable").get(0).path("reason").asString()).isEqualTo(REASON);
        assertThat(stats.path("unrunnable").get(1).path("name").asString()).isEqualTo("old_cleanup");
        assertThat(stats.path("byStatus").path("PENDING").asLong()).isEqualTo(3);
        assertThat(ok(http.get(API + "/unrunnable"))).isEqualTo(stats.path("unrunnable"));

        JsonNode actuator = ok(http.get("/actuator/tasks"));
        assertThat(actuator.path("unrunnable")).isEqualTo(stats.path("unrunnable"));

        JsonNode health = ok(http.get("/actuator/health")).path("components").path("tasks");
        assertThat(health.path("status").asString()).isEqualTo("UP");
        JsonNode listed = health.path("details").path("unrunnable").path("legacy_report");
        assertThat(listed.path("count").asLong()).isEqualTo(2);
        assertThat(listed.path("reason").asString()).isEqualTo(REASON);

        for (UUID id : EarlierVersion.in(dir).legacyReports) {
            assertThat(status(id)).isEqualTo("PENDING");
        }
    }

    @Test
    @Order(2)
    void aNameThatRunsHereOrAnInvalidNameIsRefusedWithAProblem() {
        Http.Response registered = http.post(API + "/unrunnable/add/fail", null);
        assertThat(registered.status()).as(registered.toString()).isEqualTo(400);
        assertThat(registered.contentType()).startsWith(Http.PROBLEM_JSON);
        assertThat(registered.detail()).contains("A task named 'add' is registered in this application");

        Http.Response invalid = http.delete(API + "/unrunnable/no%20spaces");
        assertThat(invalid.status()).as(invalid.toString()).isEqualTo(400);
        assertThat(invalid.detail()).contains("name 'no spaces' is invalid");
    }

    @Test
    @Order(3)
    void failingThemByNameAnswersHowManyAndTheyEndFailedWithTheReason() {
        JsonNode answer = ok(http.post(API + "/unrunnable/legacy_report/fail", null));

        assertThat(answer.path("name").asString()).isEqualTo("legacy_report");
        assertThat(answer.path("failed").asInt()).isEqualTo(2);
        for (UUID id : EarlierVersion.in(dir).legacyReports) {
            JsonNode task = ok(http.get(API + "/" + id));
            assertThat(task.path("status").asString()).isEqualTo("FAILED");
            assertThat(task.path("error").asString()).contains(REASON);
        }
        assertThat(ok(http.get(API + "/stats")).path("unrunnable")).hasSize(1);
        assertThat(ok(http.post(API + "/unrunnable/legacy_report/fail", null))
                        .path("failed")
                        .asInt())
                .isZero();
    }

    @Test
    @Order(4)
    void deletingThemByNameRemovesThem() {
        JsonNode answer = ok(http.delete(API + "/unrunnable/old_cleanup"));

        assertThat(answer.path("deleted").asInt()).isEqualTo(1);
        assertThat(http.get(API + "/" + EarlierVersion.in(dir).oldCleanups.get(0))
                        .status())
                .isEqualTo(404);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ok(http.get("/actuator/health"))
                        .path("components")
                        .path("tasks")
                        .path("details")
                        .path("unrunnable")
                        .isMissingNode());
    }
}
