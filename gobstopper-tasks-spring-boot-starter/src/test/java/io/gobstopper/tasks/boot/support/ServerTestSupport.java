package io.gobstopper.tasks.boot.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The base of the tests that call the REST API of a real server on a random port, with a real DuckDB file in a
 * temporary folder: helpers for the calls and their answers, and a check that no answer of the class was a server
 * error. Subclasses declare {@code @SpringBootTest} with their own properties.
 */
public abstract class ServerTestSupport {

    protected static final String API = "/api/tasks";
    protected static final Duration WAIT = Duration.ofSeconds(20);

    /** Every answer of every test of the running class. */
    private static final List<Http.Response> ANSWERS = new CopyOnWriteArrayList<>();

    @TempDir
    protected static Path dir;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add(
                "gobstopper.tasks.duckdb.path",
                () -> dir.resolve("tasks.duckdb").toString());
    }

    @LocalServerPort
    protected int port;

    protected Http http;

    @BeforeAll
    static void forgetAnswersOfOtherClasses() {
        ANSWERS.clear();
    }

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
        assertThat(ANSWERS).as("answers of this class").isNotEmpty();
        assertThat(ANSWERS)
                .filteredOn(answer -> answer.status() >= 500)
                .as("server errors")
                .isEmpty();
    }

    /** Checks an RFC 9457 problem answer: its status, and parts its detail must contain. */
    protected static void assertProblem(Http.Response answer, int status, String... detailParts) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.contentType()).as(answer.toString()).startsWith(Http.PROBLEM_JSON);
        JsonNode problem = answer.json();
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asString()).isNotBlank();
        assertThat(answer.detail()).as(answer.toString()).isNotBlank();
        for (String part : detailParts) {
            assertThat(answer.detail()).as(answer.toString()).contains(part);
        }
        assertThat(answer.body()).as("no stack trace reaches the client").doesNotContain("\tat ", "Exception:");
    }

    /** Submits and expects 202; returns the task. */
    protected JsonNode submit(String body) {
        Http.Response answer = http.post(API, body);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        return answer.json();
    }

    protected String submitId(String body) {
        return submit(body).path("id").asString();
    }

    protected JsonNode task(String id) {
        Http.Response answer = http.get(API + "/" + id);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    protected JsonNode awaitStatus(String id, String status) {
        return awaitStatus(id, status, WAIT);
    }

    protected JsonNode awaitStatus(String id, String status, Duration within) {
        await().atMost(within).until(() -> task(id).path("status").asString().equals(status));
        return task(id);
    }

    /** Sizes a category's workers; 0 pauses it. */
    protected void workers(String category, int workers) {
        Http.Response answer = http.put(API + "/categories/" + category + "/workers", "{\"workers\": " + workers + "}");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }

    /** How many tasks are stored. */
    protected long storedTasks() {
        Http.Response answer = http.get(API + "/stats");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json().path("total").asLong();
    }

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
