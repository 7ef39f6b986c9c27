package io.gobstopper.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gobstopper.tasks.TaskQueue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/** The sample service end to end, over real HTTP: submit, run, persist, retry, and report. */
@SuppressWarnings("unchecked")
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "gobstopper.tasks.retry.initial-delay=50ms")
class SampleApplicationIntegrationTests {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {};

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

    @Autowired
    ApplicationContext context;

    /** As {@code admin} (see {@link SecurityConfiguration}). */
    private RestClient http() {
        return RestClient.builder()
                .baseUrl("http://localhost:" + port)
                .defaultHeaders(headers -> headers.setBasicAuth("admin", "admin"))
                .build();
    }

    private Map<String, Object> submit(Map<String, Object> body) {
        ResponseEntity<Map<String, Object>> response = http().post()
                .uri("/api/tasks")
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .retrieve()
                .toEntity(JSON);
        assertThat(response.getStatusCode().value()).isEqualTo(202);
        assertThat(response.getHeaders().getLocation())
                .hasToString("/api/tasks/" + response.getBody().get("id"));
        return response.getBody();
    }

    private Map<String, Object> awaitStatus(Object id, String status) {
        return await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> http().get().uri("/api/tasks/{id}", id).retrieve().body(JSON),
                        task -> status.equals(task.get("status")));
    }

    @Test
    void anEmailSubmittedOverHttpSucceedsAndShowsInActuatorHealthAndMetrics() {
        Map<String, Object> submitted =
                submit(Map.of("name", "send_email", "args", List.of("ada@example.com", "Welcome")));

        Map<String, Object> done = awaitStatus(submitted.get("id"), "SUCCESS");
        assertThat(done)
                .containsEntry("progress", 100)
                .containsEntry("category", "notifications")
                .containsEntry("priority", "HIGH");
        assertThat((Map<String, Object>) done.get("result"))
                .containsEntry("to", "ada@example.com")
                .containsEntry("subject", "Welcome");

        Map<String, Object> actuatorTasks =
                http().get().uri("/actuator/tasks").retrieve().body(JSON);
        assertThat(actuatorTasks).containsEntry("enabled", true).containsEntry("store", "duckdb");
        assertThat((List<Map<String, Object>>) actuatorTasks.get("registeredTasks"))
                .extracting(task -> task.get("name"))
                .contains(
                        "send_email",
                        "process_image",
                        "generate_report",
                        "sync_inventory",
                        "validate_order",
                        "heartbeat");
        assertThat((Map<String, Object>) actuatorTasks.get("byStatus")).containsKey("SUCCESS");
        assertThat(((Number) ((Map<String, Object>) actuatorTasks.get("byStatus")).get("SUCCESS")).intValue())
                .isGreaterThanOrEqualTo(1);
        Map<String, Object> oneTask = http().get()
                .uri("/actuator/tasks/{id}", submitted.get("id"))
                .retrieve()
                .body(JSON);
        assertThat(oneTask).containsEntry("status", "SUCCESS");

        Map<String, Object> health =
                http().get().uri("/actuator/health").retrieve().body(JSON);
        Map<String, Object> tasksHealth =
                (Map<String, Object>) ((Map<String, Object>) health.get("components")).get("tasks");
        assertThat(tasksHealth).containsEntry("status", "UP");
        assertThat((Map<String, Object>) tasksHealth.get("details")).containsEntry("store", "duckdb");

        Map<String, Object> completed = http().get()
                .uri("/actuator/metrics/gobstopper.tasks.completed?tag=name:send_email&tag=status:SUCCESS")
                .retrieve()
                .body(JSON);
        Map<String, Object> count = ((List<Map<String, Object>>) completed.get("measurements")).get(0);
        assertThat(((Number) count.get("value")).doubleValue()).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void theDefaultRunNeedsNoDatabaseServer() {
        assertThat(context.getBeansOfType(DataSource.class))
                .as("Boot's DataSource is off without the postgres profile")
                .isEmpty();
        assertThat(context.getBean(TaskQueue.class).health().store()).isEqualTo("duckdb");
    }

    @Test
    void aFlakyTaskSucceedsAfterItsRetries() {
        Map<String, Object> submitted =
                submit(Map.of("name", "sync_inventory", "kwargs", Map.of("sku", "A-1", "failures", 2)));

        Map<String, Object> done = awaitStatus(submitted.get("id"), "SUCCESS");
        assertThat(done).containsEntry("retryCount", 2);
        assertThat((Map<String, Object>) done.get("result")).containsEntry("attempts", 3);
    }

    @Test
    void anInvalidOrderFailsAtOnceWithoutRetries() {
        Map<String, Object> submitted = submit(Map.of("name", "validate_order", "args", List.of("o-7", 0)));

        Map<String, Object> failed = awaitStatus(submitted.get("id"), "FAILED");
        assertThat(failed).containsEntry("retryCount", 0).containsEntry("maxRetries", 3);
        assertThat((String) failed.get("error"))
                .contains("IllegalArgumentException")
                .contains("must be positive");
    }

    @Test
    void imageProcessingReportsProgressWhileItRuns() {
        Map<String, Object> submitted =
                submit(Map.of("name", "process_image", "args", List.of("https://x/cat.png", 320)));

        Map<String, Object> running = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> http().get()
                                .uri("/api/tasks/{id}", submitted.get("id"))
                                .retrieve()
                                .body(JSON),
                        task -> "STARTED".equals(task.get("status")) && ((Number) task.get("progress")).intValue() > 0);
        assertThat((String) running.get("progressMessage")).contains("https://x/cat.png");
        Map<String, Object> done = awaitStatus(submitted.get("id"), "SUCCESS");
        assertThat((Map<String, Object>) done.get("result")).containsEntry("thumbnail", "https://x/cat_320.png");
    }

    @Test
    void theHeartbeatIsScheduledForTheStartOfEveryMinute() {
        List<Map<String, Object>> schedules = http().get()
                .uri("/api/tasks/schedules")
                .retrieve()
                .body(new ParameterizedTypeReference<List<Map<String, Object>>>() {});

        assertThat(schedules)
                .filteredOn(schedule -> "heartbeat".equals(schedule.get("name")))
                .singleElement()
                .satisfies(heartbeat -> {
                    assertThat(heartbeat)
                            .containsEntry("cron", "0 * * * * *")
                            .containsEntry("zone", "UTC")
                            .containsEntry("paused", false);
                    assertThat(Instant.parse((String) heartbeat.get("nextRunAt")))
                            .isBefore(Instant.now().plusSeconds(61));
                });
    }
}
