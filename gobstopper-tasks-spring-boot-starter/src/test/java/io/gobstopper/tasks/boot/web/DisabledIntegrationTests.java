package io.gobstopper.tasks.boot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gobstopper.tasks.DisabledTaskQueue;
import io.gobstopper.tasks.TaskQueue;
import io.gobstopper.tasks.boot.support.Http;
import io.gobstopper.tasks.boot.support.Threads;
import io.gobstopper.tasks.boot.testapp.TasksTestApplication;
import io.gobstopper.tasks.engine.TaskEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The starter on the class path with the task system switched off (the default). */
@SpringBootTest(
        classes = TasksTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "gobstopper.tasks.enabled=false",
            "management.endpoints.web.exposure.include=health,tasks",
            "management.endpoint.health.show-components=always"
        })
class DisabledIntegrationTests {

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

    @Autowired
    ApplicationContext context;

    @Test
    void everyRestCallAnswers503NamingThePropertyToSet() {
        Http http = new Http(port);
        String id = UUID.randomUUID().toString();
        List<Http.Response> answers = List.of(
                http.post("/api/tasks", "{\"name\": \"echo\", \"args\": [\"x\"]}"),
                http.get("/api/tasks/" + id),
                http.get("/api/tasks"),
                http.get("/api/tasks?status=PENDING&limit=10"),
                http.get("/api/tasks/stats"),
                http.post("/api/tasks/" + id + "/cancel", null),
                http.post("/api/tasks/" + id + "/retry", null),
                http.delete("/api/tasks/" + id),
                http.post("/api/tasks/bulk-retry", "{}"),
                http.post("/api/tasks/cleanup", "{\"olderThan\": \"P30D\"}"),
                http.put("/api/tasks/categories/default/workers", "{\"workers\": 1}"),
                http.post("/api/tasks/batch", "{\"tasks\": [{\"name\": \"echo\", \"args\": [\"x\"]}]}"),
                http.get("/api/tasks/schedules"),
                http.get("/api/tasks/nodes"),
                http.post("/api/tasks/schedules/tick/pause", null),
                http.post("/api/tasks/schedules/tick/resume", null),
                http.post("/api/tasks/schedules/tick/trigger", null),
                http.get("/api/tasks/analytics"),
                http.post("/api/tasks/archive", "{\"olderThan\": \"P30D\"}"),
                http.get("/api/tasks/export?format=csv"));

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
            assertThat(answer.contentType()).as(answer.toString()).startsWith(Http.PROBLEM_JSON);
            assertThat(answer.json().path("status").asInt()).isEqualTo(503);
            assertThat(answer.detail()).as(answer.toString()).contains("gobstopper.tasks.enabled");
        });
    }

    @Test
    void createsNoEngineNoDatabaseFileAndNoThreads() {
        assertThat(context.getBean(TaskQueue.class)).isInstanceOf(DisabledTaskQueue.class);
        assertThat(context.getBeansOfType(TaskEngine.class)).isEmpty();
        assertThat(Files.exists(dir.resolve("tasks.duckdb"))).isFalse();
        assertThat(dir).isEmptyDirectory();
        // contexts of earlier test classes are closed (@DirtiesContext); their threads may take a moment to end
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(Threads.gobstopperThreads())
                        .as("gobstopper-* threads")
                        .isEmpty());
    }

    @Test
    void theTasksEndpointShowsThatTheTaskSystemIsSwitchedOff() {
        Http http = new Http(port);

        Http.Response answer = http.get("/actuator/tasks");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode overview = answer.json();
        assertThat(overview.path("enabled").isBoolean()).isTrue();
        assertThat(overview.path("enabled").asBoolean()).isFalse();
        assertThat(overview.path("registeredTasks").size()).isZero();
        Http.Response health = http.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("components").has("tasks"))
                .as(health.body())
                .isFalse();
    }
}
