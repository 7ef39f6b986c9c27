package io.gobstopper.tasks.boot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gobstopper.tasks.boot.support.Http;
import io.gobstopper.tasks.boot.support.ServerTestSupport;
import io.gobstopper.tasks.boot.testapp.TasksTestApplication;
import io.gobstopper.tasks.boot.testapp.TestTasks;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * The submit fields for scheduling and flow control over real HTTP: {@code delay}, {@code runAt}, {@code dependsOn},
 * {@code uniqueKey} and {@code timeout}, and cancelling a running task.
 */
@SpringBootTest(
        classes = TasksTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"gobstopper.tasks.enabled=true", "gobstopper.tasks.shutdown-timeout=5s"})
@DirtiesContext
class SubmitOptionsIntegrationTests extends ServerTestSupport {

    @Autowired
    TestTasks tasks;

    private static String echo(String text, String options) {
        return "{\"name\": \"echo\", \"args\": [\"" + text + "\"], " + options + "}";
    }

    // ---- validation: each field is checked before anything is stored ----

    @Test
    void aDelayThatIsNotADurationOrIsNegativeAnswers400NamingTheField() {
        assertProblem(http.post(API, echo("x", "\"delay\": \"soon\"")), 400, "'delay'", "soon", "PT5S");
        assertProblem(http.post(API, echo("x", "\"delay\": \"-PT5S\"")), 400, "'delay'", "negative");
        assertProblem(http.post(API, echo("x", "\"delay\": 5")), 400, "'delay'");
        assertProblem(http.post(API, echo("x", "\"delay\": \"\"")), 400, "'delay'");
    }

    @Test
    void aRunAtThatIsNotAnInstantAnswers400NamingTheField() {
        assertProblem(http.post(API, echo("x", "\"runAt\": \"tomorrow\"")), 400, "'runAt'", "tomorrow", "ISO-8601");
        assertProblem(http.post(API, echo("x", "\"runAt\": \"2030-01-01\"")), 400, "'runAt'");
        assertProblem(http.post(API, echo("x", "\"runAt\": 1893456000")), 400, "'runAt'");
    }

    @Test
    void aDelayTogetherWithARunAtAnswers400NamingBoth() {
        assertProblem(
                http.post(API, echo("x", "\"delay\": \"PT5S\", \"runAt\": \"2030-01-01T00:00:00Z\"")),
                400,
                "'delay'",
                "'runAt'");
    }

    @Test
    void dependsOnThatIsNotAnArrayOfTaskIdsAnswers400NamingTheItem() {
        assertProblem(
                http.post(API, echo("x", "\"dependsOn\": \"" + UUID.randomUUID() + "\"")), 400, "'dependsOn'", "array");
        assertProblem(
                http.post(API, echo("x", "\"dependsOn\": [\"" + UUID.randomUUID() + "\", \"nope\"]")),
                400,
                "'dependsOn[1]'",
                "nope");
        assertProblem(http.post(API, echo("x", "\"dependsOn\": [42]")), 400, "'dependsOn[0]'");
        assertProblem(http.post(API, echo("x", "\"dependsOn\": [null]")), 400, "'dependsOn[0]'");
    }

    @Test
    void aUniqueKeyThatIsEmptyTooLongOrNotAStringAnswers400() {
        assertProblem(http.post(API, echo("x", "\"uniqueKey\": \"\"")), 400, "'uniqueKey'");
        assertProblem(http.post(API, echo("x", "\"uniqueKey\": \"  \"")), 400, "'uniqueKey'");
        assertProblem(
                http.post(API, echo("x", "\"uniqueKey\": \"" + "k".repeat(201) + "\"")),
                400,
                "'uniqueKey'",
                "200",
                "201");
        assertProblem(http.post(API, echo("x", "\"uniqueKey\": 7")), 400, "'uniqueKey'");
        assertThat(http.post(API, echo("x", "\"uniqueKey\": \"" + unique("k".repeat(180)) + "\""))
                        .status())
                .as("200 characters are accepted")
                .isEqualTo(202);
    }

    @Test
    void aTimeoutThatIsNotAPositiveDurationAnswers400() {
        assertProblem(http.post(API, echo("x", "\"timeout\": \"PT0S\"")), 400, "'timeout'", "more than zero");
        assertProblem(http.post(API, echo("x", "\"timeout\": \"-1s\"")), 400, "'timeout'", "negative");
        assertProblem(http.post(API, echo("x", "\"timeout\": \"a while\"")), 400, "'timeout'", "a while");
    }

    @Test
    void theTaskJsonCarriesTheSchedulingFieldsEvenWhenUnused() {
        JsonNode task = submit(echo("plain", "\"priority\": \"low\""));

        assertThat(task.has("runAt")).isTrue();
        assertThat(task.path("dependsOn").isArray()).isTrue();
        assertThat(task.path("dependsOn").size()).isZero();
        assertThat(task.get("uniqueKey").isNull()).isTrue();
        assertThat(task.get("timeout").isNull()).isTrue();
        assertThat(task.path("cancelRequested").isBoolean()).isTrue();
        assertThat(task.path("cancelRequested").asBoolean()).isFalse();
    }

    // ---- behaviour (needs the engine's support) ----

    @Test
    void aUniqueKeyHeldByAnUnfinishedTaskAnswers200WithThatTaskInsteadOf202() {
        String category = unique("unique");
        workers(category, 0);
        String key = unique("order-42");
        String body = echo("once", "\"category\": \"" + category + "\", \"uniqueKey\": \"" + key + "\"");

        Http.Response first = http.post(API, body);
        Http.Response again = http.post(API, body);

        assertThat(first.status()).as(first.toString()).isEqualTo(202);
        assertThat(first.json().path("uniqueKey").asString()).isEqualTo(key);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        String id = first.json().path("id").asString();
        assertThat(again.json().path("id").asString()).isEqualTo(id);
        assertThat(again.header("Content-Location")).isEqualTo(API + "/" + id);
        assertThat(http.post(API + "/" + id + "/cancel", null).status()).isEqualTo(200);
        Http.Response afterCancel = http.post(API, body);
        assertThat(afterCancel.status())
                .as("the key is free once its task ended")
                .isEqualTo(202);
        assertThat(afterCancel.json().path("id").asString()).isNotEqualTo(id);
    }

    @Test
    void aDelayedTaskWaitsPendingWithItsRunAtAndSucceedsAfterIt() {
        String text = unique("later");
        JsonNode submitted = submit(echo(text, "\"delay\": \"2s\""));
        String id = submitted.path("id").asString();

        assertThat(submitted.path("status").asString()).isEqualTo("PENDING");
        Instant createdAt = Instant.parse(submitted.path("createdAt").asString());
        Instant runAt = Instant.parse(submitted.path("runAt").asString());
        assertThat(Duration.between(createdAt, runAt)).isBetween(Duration.ofMillis(1900), Duration.ofMillis(2100));
        assertThat(task(id).path("status").asString()).isEqualTo("PENDING");

        JsonNode done = awaitStatus(id, "SUCCESS");
        assertThat(Instant.parse(done.path("startedAt").asString())).isAfterOrEqualTo(runAt);
        assertThat(tasks.runs(text)).isEqualTo(1);
    }

    @Test
    void aTaskWithARunAtStartsNoEarlier() {
        Instant runAt = Instant.now().plusSeconds(2);
        JsonNode submitted = submit(echo(unique("at"), "\"runAt\": \"" + runAt + "\""));

        assertThat(submitted.path("status").asString()).isEqualTo("PENDING");
        assertThat(Instant.parse(submitted.path("runAt").asString())).isEqualTo(runAt.truncatedTo(ChronoUnit.MICROS));
        JsonNode done = awaitStatus(submitted.path("id").asString(), "SUCCESS");
        assertThat(Instant.parse(done.path("startedAt").asString())).isAfterOrEqualTo(runAt);
    }

    @Test
    void aDependentTaskRunsAfterItsParentSucceededAndIsCancelledWhenItFails() {
        String gate = unique("parent");
        String parent = submitId("{\"name\": \"waitAt\", \"args\": [\"" + gate + "\"]}");
        String child = submitId(echo(unique("child"), "\"dependsOn\": [\"" + parent + "\"]"));
        String doomed = submitId("{\"name\": \"waitAt\", \"args\": [\"" + unique("doomed") + "\"]}");
        String orphan = submitId(echo(unique("orphan"), "\"dependsOn\": [\"" + doomed + "\"]"));

        assertThat(task(child).path("dependsOn").get(0).asString()).isEqualTo(parent);
        assertThat(task(child).path("status").asString()).isEqualTo("PENDING");
        tasks.gate(gate).countDown();
        awaitStatus(child, "SUCCESS");
        http.post(API + "/" + doomed + "/cancel", "");
        JsonNode cancelled = awaitStatus(orphan, "CANCELLED");
        assertThat(cancelled.path("error").asString()).as("the reason").contains(doomed);

        String failed = submitId("{\"name\": \"fail\", \"args\": [\"on purpose\"]}");
        awaitStatus(failed, "FAILED");
        assertProblem(http.post(API, echo("late", "\"dependsOn\": [\"" + failed + "\"]")), 400, "FAILED");
    }

    @Test
    void aDependencyOnAnUnknownTaskAnswers400() {
        String unknown = UUID.randomUUID().toString();
        assertProblem(http.post(API, echo("x", "\"dependsOn\": [\"" + unknown + "\"]")), 400, unknown);
    }

    @Test
    void aRunLongerThanItsTimeoutFails() {
        String gate = unique("slow");
        JsonNode submitted = submit("{\"name\": \"waitAt\", \"args\": [\"" + gate + "\"], \"timeout\": \"500ms\"}");

        assertThat(submitted.path("timeout").asString()).isEqualTo("PT0.5S");
        awaitStatus(submitted.path("id").asString(), "FAILED", Duration.ofSeconds(5));
    }

    @Test
    void cancellingARunningTaskAsksItToStopAndItEndsCancelledWithinASecond() {
        String key = unique("loop");
        String id = submitId("{\"name\": \"untilCancelled\", \"args\": [\"" + key + "\"]}");
        await().atMost(WAIT).until(() -> tasks.runs(key) == 1);

        Http.Response answer = http.post(API + "/" + id + "/cancel", null);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode task = answer.json();
        if (task.path("status").asString().equals("STARTED")) {
            assertThat(task.path("cancelRequested").asBoolean())
                    .as(task.toString())
                    .isTrue();
        }
        awaitStatus(id, "CANCELLED", Duration.ofSeconds(1));
        assertThat(tasks.runs(key + "/saw-cancel"))
                .as("TaskContext.isCancelled() turned true")
                .isEqualTo(1);
        assertThat(tasks.runs(key)).as("a cancelled run is not retried").isEqualTo(1);
    }
}
