package io.gobstopper.tasks.boot.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gobstopper.tasks.boot.support.FileSizeLimit;
import io.gobstopper.tasks.boot.support.Http;
import io.gobstopper.tasks.boot.testapp.TasksTestApplication;
import io.gobstopper.tasks.boot.testapp.TestTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * The disk fills while tasks run (the file cannot be written): every submit is refused with 503 and Retry-After in
 * under 2 s, reads still answer (the file can be read), health goes DOWN saying why, a task that ends meanwhile keeps
 * its outcome in memory, and once there is room again everything is written and work resumes, without a restart:
 * every accepted task succeeds.
 */
@SpringBootTest(
        classes = TasksTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"gobstopper.tasks.enabled=true", "management.endpoint.health.show-details=always"})
@DirtiesContext
class FullDiskIntegrationTests {

    private static final String API = "/api/tasks";
    private static final Duration WAIT = Duration.ofSeconds(20);

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
    TestTasks tasks;

    @Test
    void aFullDiskRefusesSubmitsWith503KeepsOutcomesAndEverythingResumesOnceThereIsRoom() throws Exception {
        Http http = new Http(port);
        String running = http.post(API, "{\"name\": \"waitAt\", \"args\": [\"disk\"]}")
                .json()
                .path("id")
                .asString();
        await().atMost(WAIT).until(() -> status(http, running).equals("STARTED"));
        http.get(API + "/stats"); // everything so far is written

        try (FileSizeLimit full = FileSizeLimit.apply(Files.size(dir.resolve("tasks.duckdb.journal")))) {
            for (int i = 0; i < 5; i++) {
                long started = System.nanoTime();
                Http.Response refused = http.post(API, "{\"name\": \"echo\", \"args\": [\"no room\"]}");
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
                assertThat(millis).as("answered in ms: " + refused).isLessThan(2000);
                assertThat(refused.contentType()).startsWith(Http.PROBLEM_JSON);
                assertThat(refused.header("Retry-After")).as(refused.toString()).isEqualTo("1");
                assertThat(refused.detail()).contains("cannot be written").contains("File too large");
                assertThat(refused.body()).doesNotContain("\tat ");
            }

            tasks.gate("disk").countDown(); // the running task ends while nothing can be written
            await().atMost(WAIT).until(() -> status(http, running).equals("SUCCESS"));

            JsonNode down = await().atMost(WAIT)
                    .until(
                            () -> http.get("/actuator/health").json(),
                            health -> health.path("status").asString().equals("DOWN"));
            assertThat(down.path("components")
                            .path("tasks")
                            .path("details")
                            .path("reason")
                            .asString())
                    .contains("cannot be written")
                    .contains("File too large");
        }

        await().atMost(WAIT)
                .until(() -> http.get("/actuator/health")
                        .json()
                        .path("status")
                        .asString()
                        .equals("UP"));
        Http.Response accepted = http.post(API, "{\"name\": \"echo\", \"args\": [\"room again\"]}");
        assertThat(accepted.status()).isEqualTo(202);
        String resumed = accepted.json().path("id").asString();
        await().atMost(WAIT).until(() -> status(http, resumed).equals("SUCCESS"));
        // the outcome kept in memory during the fault is now stored: the listing reads the database
        JsonNode stored = http.get(API + "?status=SUCCESS&name=waitAt").json();
        assertThat(stored.path("tasks").get(0).path("id").asString()).isEqualTo(running);
    }

    private static String status(Http http, String id) {
        return http.get(API + "/" + id).json().path("status").asString();
    }
}
