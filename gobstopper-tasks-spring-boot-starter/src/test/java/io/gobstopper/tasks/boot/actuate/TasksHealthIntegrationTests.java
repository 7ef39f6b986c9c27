package io.gobstopper.tasks.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gobstopper.tasks.TaskQueue;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.boot.support.Http;
import io.gobstopper.tasks.boot.testapp.TasksTestApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The {@code tasks} health component over real HTTP: a category whose oldest waiting task waits past its max-wait
 * turns the component (and the whole) to the overdue status, and back to UP once it catches up; the gauge of the
 * oldest wait follows.
 */
class TasksHealthIntegrationTests {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add(
                "gobstopper.tasks.duckdb.path",
                () -> dir.resolve(UUID.randomUUID() + ".duckdb").toString());
    }

    abstract static class OverdueCategory {

        @LocalServerPort
        int port;

        @Autowired
        TaskQueue queue;

        /** Submits a task to the paused category and waits until the health component reports it overdue. */
        JsonNode overdue(Http http, int status, String expected) {
            queue.submit(TaskRequest.builder("add").args(1, 2).category("slow").build());
            return await().atMost(Duration.ofSeconds(20))
                    .until(
                            () -> {
                                Http.Response answer = http.get("/actuator/health");
                                return answer.status() == status
                                                && answer.json()
                                                        .path("status")
                                                        .asString()
                                                        .equals(expected)
                                        ? answer.json()
                                        : null;
                            },
                            json -> json != null);
        }
    }

    @Nested
    @SpringBootTest(
            classes = TasksTestApplication.class,
            webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {
                "gobstopper.tasks.enabled=true",
                "gobstopper.tasks.categories.slow.workers=0",
                "gobstopper.tasks.categories.slow.max-wait=300ms",
                "management.endpoint.health.show-details=always",
                "management.endpoints.web.exposure.include=health,metrics"
            })
    @DirtiesContext
    class Degraded extends OverdueCategory {

        @Test
        void anOverdueCategoryDegradesHealthWithHttp200AndCatchingUpMakesItUpAgain() {
            Http http = new Http(port);
            assertThat(http.get("/actuator/health").json().path("status").asString())
                    .isEqualTo("UP");

            JsonNode health = overdue(http, 200, "DEGRADED");
            JsonNode tasks = health.path("components").path("tasks");
            assertThat(tasks.path("status").asString()).isEqualTo("DEGRADED");
            JsonNode slow = tasks.path("details").path("categories").path("slow");
            assertThat(slow.path("overdue").asBoolean()).isTrue();
            assertThat(slow.path("maxWaitSeconds").asDouble()).isEqualTo(0.3);
            assertThat(slow.path("oldestWaitSeconds").asDouble()).isGreaterThan(0.3);
            assertThat(tasks.path("details").path("reason").asString()).contains("slow");
            assertThat(tasks.path("details")
                            .path("categories")
                            .path("default")
                            .path("overdue")
                            .asBoolean())
                    .isFalse();
            JsonNode gauge = http.get("/actuator/metrics/gobstopper.tasks.oldest.wait?tag=category:slow")
                    .json();
            assertThat(gauge.path("baseUnit").asString()).isEqualTo("seconds");
            assertThat(gauge.path("measurements").get(0).path("value").asDouble())
                    .isGreaterThan(0.3);

            queue.resizeWorkers("slow", 1);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> http.get("/actuator/health")
                            .json()
                            .path("status")
                            .asString()
                            .equals("UP"));
            assertThat(queue.stats().byStatus().get(TaskStatus.SUCCESS)).isEqualTo(1);
        }
    }

    @Nested
    @SpringBootTest(
            classes = TasksTestApplication.class,
            webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {
                "gobstopper.tasks.enabled=true",
                "gobstopper.tasks.categories.slow.workers=0",
                "gobstopper.tasks.categories.slow.max-wait=200ms",
                "gobstopper.tasks.health.overdue-status=down"
            })
    @DirtiesContext
    class Down extends OverdueCategory {

        @Test
        void withOverdueStatusDownAnOverdueCategoryFailsTheHealthCheckWith503() {
            overdue(new Http(port), 503, "DOWN");
        }
    }
}
